"""Contrast two texts: which units hold what tells them apart.

Two runs of one model, A and B, compared step by step over the steps both have
(T = min(T_A, T_B)), for every layer l and unit u:

    dc[l, t, u] = |C_A[l, t, u] - C_B[l, t, u]|      how far the memory cells are apart
    dh[l, t, u] = |h_A[l, t, u] - h_B[l, t, u]|      how far the outputs are apart
    steps       = the steps t < T where the predicted tags differ (every step when none
                  differs, or the model has no head)
    score[l, u] = sum over t in steps of (dc[l, t, u] + dh[l, t, u])

and the units ranked by score, highest first (ties: lower layer, then lower unit first).
For the article's pair ("arrive Beijing on November 2nd" / "leave Beijing on November 2nd")
the tags differ at "Beijing", and the top units are those whose memory still tells the verbs
apart there. pysim.patching proves (or refutes) it by moving those units' state from A to B.

contrast() returns plain data (numpy arrays, lists, strings), what the page and the CLI use;
Plain numpy, no I/O.
"""
from __future__ import annotations

import numpy as np

from .model import Model, Trace
from .patching import predicted


def compare(run_a: Trace, run_b: Trace) -> dict:
    """dc, dh (L, T, H), steps, score (L, H) and the ranking of two traces of one model."""
    T = min(run_a.T, run_b.T)
    dc = np.abs(run_a.c[:, :T] - run_b.c[:, :T])             # (L, T, H)
    dh = np.abs(run_a.h[:, :T] - run_b.h[:, :T])             # (L, T, H)
    pa, pb = predicted(run_a), predicted(run_b)
    if len(pa) and len(pb):
        steps = [int(t) for t in np.nonzero(pa[:T] != pb[:T])[0]]
    else:
        steps = []
    scored = steps or list(range(T))
    score = (dc[:, scored] + dh[:, scored]).sum(axis=1)      # (L, H)
    L, H = score.shape
    order = sorted(((l, u) for l in range(L) for u in range(H)), key=lambda lu: (-score[lu], lu))
    return {"T": T, "dc": dc, "dh": dh, "steps": steps, "score": score, "order": order}


def contrast(model: Model, a, b, fast: bool = True) -> dict:
    """Run texts a and b (strings, token lists or (T, D) vectors, as Model.trace takes them)
    and compare them: {steps, units: [{layer, unit, score, dc: [T], dh: [T]}] ranked by score,
    tagsA, tagsB (the predicted tag names at each step), tokensA, tokensB, T, run_a, run_b}."""
    run_a, run_b = model.trace(a, fast=fast), model.trace(b, fast=fast)
    d = compare(run_a, run_b)
    names = list(model.config.tags or [])
    units = [{"layer": l, "unit": u, "score": float(d["score"][l, u]),
              "dc": d["dc"][l, :, u].tolist(), "dh": d["dh"][l, :, u].tolist()}
             for l, u in d["order"]]
    return {"steps": d["steps"], "units": units, "T": d["T"],
            "tagsA": [names[k] for k in predicted(run_a)] if names else [],
            "tagsB": [names[k] for k in predicted(run_b)] if names else [],
            "tokensA": list(run_a.tokens), "tokensB": list(run_b.tokens),
            "run_a": run_a, "run_b": run_b}


def ranking(model: Model, a, b, fast: bool = True) -> list[tuple[int, int]]:
    """The (layer, unit) pairs of contrast(), best first."""
    return compare(model.trace(a, fast=fast), model.trace(b, fast=fast))["order"]
