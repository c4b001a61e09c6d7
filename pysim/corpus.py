"""One unit across many sentences, and the units a selection of words turns on (after LSTMVis).

A corpus is a list of sentences (token lists). For the selected unit (layer l, unit u) and
quantity ("c": memory cell C_t, "h": output h_t):

    values[k]    (T_k,) the unit's value at each step of sentence k
    response[k]  max_t |values[k][t]|: how strongly the unit responds to sentence k
    order        the sentences sorted by response, strongest first (ties: corpus order)

Selecting steps S of sentence k finds the units that are on there and off elsewhere. With
a[n, t] the value of unit n (every layer's units, numbered l * H + u) at step t:

    sign[n] = sign of mean_{t in S} a[n, t]            (+1 when the mean is 0)
    on[n]   = mean_{t in S} sign[n] a[n, t]            how strongly it is on in the selection
    off[n]  = mean over every other step of the corpus of max(sign[n] a[n, t], 0)
    score[n] = on[n] - off[n]                          the top `top` units by score, of
                                                       those scoring > 0 (the best, if none)

Then the other sentences where those units do the same: step t of sentence j != k matches
when every top unit n has sign[n] a[n, t] >= on[n] / 2; sentences with matches are listed by
their number of matching steps, most first (ties: corpus order).

Sources of sentences (pysim.session): a task's held-out set, the user's own lines, a loaded
model's examples. Plain numpy, no I/O.
"""
from __future__ import annotations

import numpy as np

from .model import MAX_TOKENS, Model
from .text import word_vectors, words

WHATS = ("c", "h")


def sentences_of(lines, limit: int | None = None) -> list[list[str]]:
    """Token lists from lines of text (or token lists): empty lines out, each cut at MAX_TOKENS."""
    out = []
    for line in lines:
        tokens = list(line) if isinstance(line, (list, tuple)) else words(str(line))[0]
        if tokens:
            out.append(tokens[:MAX_TOKENS])
        if limit is not None and len(out) >= limit:
            break
    return out


def activations(model: Model, sentences, what: str = "c") -> list[np.ndarray]:
    """(L * H, T_k) values of every unit for each sentence: row l * H + u is unit u of layer l."""
    if what not in WHATS:
        raise ValueError(f"the quantity is \"c\" (memory cell) or \"h\" (output), not {what!r}")
    L, H = model.config.num_layers, model.config.hidden_size
    out = []
    for tokens in sentences:
        inputs = tokens if model.config.vocab is not None else \
            word_vectors(tokens, model.config.input_size)
        v = getattr(model.trace(inputs), what)               # (L, T, H)
        out.append(v.transpose(0, 2, 1).reshape(L * H, -1))  # (L * H, T)
    return out


def unit_view(acts, layer: int, unit: int, H: int) -> dict:
    """One unit over the corpus: {values: [T_k each], response, order} (see the docstring)."""
    n = layer * H + unit
    if not 0 <= unit < H or not 0 <= n < (acts[0].shape[0] if acts else 0):
        raise ValueError(f"unit {unit} of layer {layer} does not exist")
    values = [a[n] for a in acts]
    response = np.array([np.abs(v).max() if len(v) else 0.0 for v in values])
    order = sorted(range(len(values)), key=lambda k: (-response[k], k))
    return {"values": values, "response": response, "order": order}


def select(acts, k: int, steps, top: int = 3) -> dict:
    """The units on at `steps` of sentence k and off elsewhere, and where else they are on.

    Returns {units: [n, ...] (top by score), score (N,), sign (N,), on (N,), off (N,),
    matches: [{sentence, steps: [...]}]} (see the docstring)."""
    if not 0 <= k < len(acts):
        raise ValueError(f"sentence {k} is not in the corpus ({len(acts)} sentences)")
    T = acts[k].shape[1]
    S = sorted({int(t) for t in steps})
    if not S or S[0] < 0 or S[-1] >= T:
        raise ValueError(f"select words of sentence {k} by their steps 0..{T - 1}")
    a = acts[k]                                               # (N, T)
    mean = a[:, S].mean(axis=1)
    sign = np.where(mean < 0, -1.0, 1.0)                      # (N,)
    on = (sign[:, None] * a[:, S]).mean(axis=1)
    rest = [np.delete(a, S, axis=1)] + [b for j, b in enumerate(acts) if j != k]
    rest = np.concatenate(rest, axis=1)                       # (N, every other step)
    off = np.maximum(sign[:, None] * rest, 0.0).mean(axis=1) if rest.shape[1] else np.zeros_like(on)
    score = on - off
    ranked = sorted(range(len(score)), key=lambda n: (-score[n], n))
    units = [n for n in ranked if score[n] > 0][:top] or ranked[:1]
    matches = []
    for j, b in enumerate(acts):
        if j == k or not b.shape[1]:
            continue
        ok = np.all(sign[units, None] * b[units] >= on[units, None] / 2, axis=0)  # (T_j,)
        if ok.any():
            matches.append({"sentence": j, "steps": [int(t) for t in np.nonzero(ok)[0]]})
    matches.sort(key=lambda m: (-len(m["steps"]), m["sentence"]))
    return {"units": units, "score": score, "sign": sign, "on": on, "off": off,
            "matches": matches}
