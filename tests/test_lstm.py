"""The LSTM's equations (pysim.lstm): the step is the article's equations, one line each; the
gradient flow (gradient_flow) is backprop through time's dL_T/dC_t."""
import numpy as np

from pysim import lstm
from tests.helpers import word_model


def test_the_step_is_the_articles_equations():
    """pysim.lstm.step against the equations written with the article's W_f, b_f, ... blocks."""
    rng = np.random.default_rng(0)
    layer = word_model(L=1, H=3, D=2, seed=6).layers[0]
    H = layer.H
    sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    x, h_prev, c_prev = rng.standard_normal(2), rng.uniform(-1, 1, H), rng.standard_normal(H)
    hx = np.concatenate([h_prev, x])                                       # [h_{t-1}, x_t]
    b_f, b_i, b_g, b_o = np.split(layer.b, 4)
    f = sig(layer.W_f @ hx + b_f)
    i = sig(layer.W_i @ hx + b_i)
    g = np.tanh(layer.W_g @ hx + b_g)
    o = sig(layer.W_o @ hx + b_o)
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    zx = layer.W[:, H:] @ x + layer.b                                      # W_x . x_t + b
    got = lstm.step(layer.W[:, :H], zx[None], h_prev[None], c_prev[None])
    for name, want, have in zip("figoch", (f, i, g, o, c, h), got):
        np.testing.assert_allclose(have[0], want, rtol=0, atol=1e-15, err_msg=name)


def test_gradient_flow_matches_finite_difference_in_c():
    # dL_T/dC_t through a perturbation of C_t: perturb the cell via c0 at t = -1 ... use t = 0:
    # L_T depends on C_0 only through the recurrence, so check with the vector ||dL/dc0||.
    m = word_model(L=1, H=3, D=2, seed=5)
    tokens = "arrive Beijing on November 2nd".split()
    norms = lstm.gradient_flow(m, tokens, target="destination")
    assert norms.shape == (1, 5) and np.all(norms >= 0)
    # finite difference of L_T with respect to the initial cell gives dL/dC_{-1} = dL/dC_0 * f_0
    fw = lstm.forward(m, m.embedding[m.encode(tokens)[0]][None])  # a batch of one
    probs = m.trace(tokens).probs
    y = 1

    def LT(c0):
        return -np.log(m.trace(tokens, c0=c0).probs[-1, y])
    eps = 1e-6
    num = np.array([(LT(np.eye(3)[k][None] * eps) - LT(-np.eye(3)[k][None] * eps)) / (2 * eps)
                    for k in range(3)])
    d = np.zeros((1,) + probs.shape)
    d[0, -1] = probs[-1]
    d[0, -1, y] -= 1
    _, dc = lstm.backward(m, fw, d)                          # (L, T, B, H)
    np.testing.assert_allclose(num, dc[0, 0, 0] * fw.f[0, 0, 0], rtol=1e-6, atol=1e-10)
    assert np.allclose(np.linalg.norm(dc[0, :, 0], axis=-1), norms[0])
