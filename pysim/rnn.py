"""A plain tanh RNN, only to compare gradient flow with the LSTM (issue 4).

    h_t = tanh(W_hh . h_{t-1} + W_xh . x_t + b)

Same hidden size, same inputs, same init scale as the LSTM; a random softmax head of the same
size gives it the same kind of loss at the last step.
"""
from __future__ import annotations

import numpy as np

from . import lstm
from .lstm import softmax
from .model import Model, tokenize


def gradient_flow(x, hidden_size: int, num_tags: int, seed: int = 0, target: int = 0):
    """||dL_T/dh_t|| for t = 0..T-1 for a random tanh RNN reading x (T, D).

    L_T = -log p_T(target) at the last step only. Returns (T,) norms.
    """
    x = np.asarray(x, dtype=np.float64)                      # (T, D)
    T, D = x.shape
    H, K = hidden_size, num_tags
    rng = np.random.default_rng(seed)
    k = 1.0 / np.sqrt(H)                                     # PyTorch's default init
    W_hh = rng.uniform(-k, k, (H, H))                        # hidden -> hidden
    W_xh = rng.uniform(-k, k, (H, D))                        # input -> hidden
    b = rng.uniform(-k, k, H)
    W_hy = rng.uniform(-k, k, (K, H))                        # hidden -> tags
    b_y = rng.uniform(-k, k, K)
    # forward
    h = np.zeros((T, H))
    h_prev = np.zeros(H)
    for t in range(T):
        h[t] = np.tanh(W_hh @ h_prev + W_xh @ x[t] + b)
        h_prev = h[t]
    p = softmax((W_hy @ h[-1] + b_y)[None])[0]               # (K,) last step only
    # backward
    dlogits = p.copy()
    dlogits[target] -= 1.0
    dh = W_hy.T @ dlogits                                    # dL/dh_{T-1}
    norms = np.zeros(T)
    for t in reversed(range(T)):
        norms[t] = np.linalg.norm(dh)
        dz = dh * (1.0 - h[t] ** 2)                          # tanh' = 1 - tanh^2
        dh = W_hh.T @ dz                                     # dL/dh_{t-1}
    return norms


def compare(model: Model, inputs, target=None, seed: int = 0):
    """(lstm (T,), rnn (T,)): ||dL_T/dC_t|| of the model's top layer and ||dL_T/dh_t|| of a
    random tanh RNN with the same hidden size on the same input vectors."""
    if isinstance(inputs, str):
        inputs = tokenize(inputs)
    tr = model.trace(inputs)
    y = int(np.argmax(tr.probs[-1])) if target is None else int(model.tag_ids([target], 1)[0])
    flow = lstm.gradient_flow(model, inputs, y)[-1]
    rnn = gradient_flow(tr.x, model.config.hidden_size, len(model.head_b), seed=seed, target=y)
    return flow, rnn
