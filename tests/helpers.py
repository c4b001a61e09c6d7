"""Helpers the test modules share (one definition each): the test sentence, a small word model,
a model's weights under Keras names, a .npz in memory, and the check that two models trace
alike."""
from __future__ import annotations

import io
import json

import numpy as np

from pysim.io import state_dict
from pysim.model import UNK, Config, Model

TEXT = "arrive Beijing on November 2nd"
VOCAB = [UNK, "arrive", "leave", "beijing", "on", "november", "2nd"]
TAGS = ["O", "destination", "departure"]


def word_model(L=2, H=4, D=3, seed=0, head=True, meta=None) -> Model:
    """A random model over VOCAB, tagging TAGS (no head: head=False)."""
    return Model.random(Config(D, H, L, vocab=VOCAB, tags=TAGS if head else None), seed=seed,
                        meta=meta)


def npz(*positional, meta=None, **arrays) -> bytes:
    """np.savez into bytes (positional arrays as arr_0, arr_1, ...); meta, a dict, is written
    as the JSON string array "meta" (an array is written as it is)."""
    if meta is not None:
        arrays["meta"] = meta if isinstance(meta, np.ndarray) else np.array(json.dumps(meta))
    buf = io.BytesIO()
    np.savez(buf, *positional, **arrays)
    return buf.getvalue()


def keras_arrays(model, style="nested"):
    """The model's weights under Keras names (Keras's gate order i, f, c, o = PyTorch's)."""
    sd = state_dict(model)
    out = {}
    L = model.config.num_layers
    for k in range(L):
        kernel = sd[f"lstm.weight_ih_l{k}"].T
        recurrent = sd[f"lstm.weight_hh_l{k}"].T
        bias = sd[f"lstm.bias_ih_l{k}"] + sd[f"lstm.bias_hh_l{k}"]
        if style == "flat":
            out.update(kernel=kernel, recurrent_kernel=recurrent, bias=bias)
        else:
            name = "lstm" if k == 0 else f"lstm_{k}"
            out.update({f"{name}/lstm_cell/kernel:0": kernel,
                        f"{name}/lstm_cell/recurrent_kernel:0": recurrent,
                        f"{name}/lstm_cell/bias:0": bias})
    if "embedding.weight" in sd:
        out["embeddings" if style == "flat" else "embedding/embeddings:0"] = sd["embedding.weight"]
    if "head.weight" in sd:
        if style == "flat":
            out.update(dense_kernel=sd["head.weight"].T, dense_bias=sd["head.bias"])
        else:
            out.update({"dense/kernel:0": sd["head.weight"].T, "dense/bias:0": sd["head.bias"]})
    out["meta"] = np.array(json.dumps({"vocab": model.config.vocab, "tags": model.config.tags}))
    return out


def same_trace(a, b, inputs=TEXT, tol=0.0):
    """a and b trace `inputs` alike: every gate, cell and output (and the probabilities, if they
    tag), bit for bit, or within tol (relative and absolute; b's values the reference)."""
    ta, tb = a.trace(inputs), b.trace(inputs)
    check = (np.testing.assert_array_equal if tol == 0 else
             lambda x, y, err_msg="": np.testing.assert_allclose(x, y, rtol=tol, atol=tol,
                                                                 err_msg=err_msg))
    for n in "figoch":
        check(getattr(ta, n), getattr(tb, n), err_msg=n)
    assert (ta.probs is None) == (tb.probs is None)
    if ta.probs is not None:
        check(ta.probs, tb.probs)
