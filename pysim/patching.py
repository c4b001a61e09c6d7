"""Activation patching and ablation: prove that chosen units carry a memory by moving it.

Two runs of one model, A and B (e.g. "arrive Beijing ..." and "leave Beijing ..."). A patch
copies the state of chosen units at step t from run A into run B, and B runs on from there:

    what = "c":   C_t of each chosen unit is A's; B's h_t = o_t * tanh(C_t) reads the patched
                  memory through B's own output gate; later steps run on as usual
    what = "ch":  C_t and h_t of each chosen unit are A's

The forward pass takes patches as it takes clamps (pysim.lstm.Clamps, gate "patch"): in
pysim.lstm.step and Model.trace's fast twin (pysim.fast), C_t is overwritten right after
C_t = f_t * C_{t-1} + i_t * C~_t, h_t right after h_t = o_t * tanh(C_t). Patching no units
changes nothing; patching every unit's C and h at step t makes B's later steps A's, when the
later inputs are the same.

Ablation zeroes units: C and h set to 0 at every step (t0..t1), the same run as the "zero"
clamp (pysim.model.Clamp), written here as patches of 0.

flip() patches the top 1, 2, 3 ... units of a ranking (pysim.contrast) until B's tag at the
word where the two runs' tags differ becomes A's, and says how many it took.

Units are (layer, unit) pairs. Plain numpy, no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from .model import Model, Trace

WHATS = ("c", "ch")


@dataclass(frozen=True)
class Patch:
    """Set C_t (and h_t, unless h is None) of one unit at step t to these values."""
    gate: ClassVar[str] = "patch"  # how pysim.lstm.Clamps tells a patch from a clamp
    layer: int
    unit: int
    t: int
    c: float
    h: float | None = None


def units_of(units) -> list[tuple[int, int]]:
    """(layer, unit) pairs from pairs or dicts {layer, unit} (what the page sends)."""
    out = []
    for u in units or []:
        if isinstance(u, dict):
            out.append((int(u.get("layer", 0)), int(u["unit"])))
        else:
            layer, unit = u
            out.append((int(layer), int(unit)))
    return out


def patches_from(run_a: Trace, units, t: int, what: str = "c") -> list[Patch]:
    """The patches that copy C (what "c") or C and h ("ch") of `units` at step t of run A."""
    if what not in WHATS:
        raise ValueError(f"what to patch is \"c\" or \"ch\", not {what!r}")
    if not 0 <= t < run_a.T:
        raise ValueError(f"patch step {t} does not exist in text A ({run_a.T} steps)")
    L, _, H = run_a.c.shape
    for l, u in units_of(units):
        if not (0 <= l < L and 0 <= u < H):
            raise ValueError(f"unit {u} of layer {l} does not exist (layers: {L}, units: {H})")
    return [Patch(layer=l, unit=u, t=t, c=float(run_a.c[l, t, u]),
                  h=float(run_a.h[l, t, u]) if what == "ch" else None)
            for l, u in units_of(units)]


def patch(model: Model, a, b, units, t: int, what: str = "c", fast: bool = True) -> Trace:
    """Run B with `units`' C (or C and h) at step t copied from run A. a, b: texts, token lists
    or (T, D) vectors, as Model.trace takes them."""
    run_a = model.trace(a, fast=fast)
    return patch_runs(model, run_a, b, units, t, what, fast)


def patch_runs(model: Model, run_a: Trace, b, units, t: int, what: str = "c",
               fast: bool = True) -> Trace:
    """patch() with run A already traced."""
    return model.trace(b, clamps=patches_from(run_a, units, t, what), fast=fast)


def ablation_patches(units, T: int, t0: int = 0, t1: int | None = None) -> list[Patch]:
    """C = h = 0 for `units` at steps t0..t1 (inclusive; default: every step)."""
    t1 = T - 1 if t1 is None else min(int(t1), T - 1)
    return [Patch(layer=l, unit=u, t=t, c=0.0, h=0.0)
            for l, u in units_of(units) for t in range(int(t0), t1 + 1)]


def ablate(model: Model, inputs, units, t0: int = 0, t1: int | None = None,
           fast: bool = True) -> Trace:
    """Run `inputs` with `units` zeroed (C = h = 0) at steps t0..t1: the "zero" clamp's run."""
    T = model.embed(inputs)[2].shape[0]
    return model.trace(inputs, clamps=ablation_patches(units, T, t0, t1), fast=fast)


def predicted(trace: Trace) -> np.ndarray:
    """(T,) the most probable tag index at each step (empty without a head)."""
    if trace.probs is None:
        return np.zeros(0, dtype=np.int64)
    return np.argmax(trace.probs, axis=-1)


def first_difference(run_a: Trace, run_b: Trace, start: int = 0) -> int | None:
    """The first step >= start (of the steps both have) where the predicted tags differ."""
    pa, pb = predicted(run_a), predicted(run_b)
    n = min(len(pa), len(pb))
    diff = np.nonzero(pa[start:n] != pb[start:n])[0]
    return int(diff[0]) + start if len(diff) else None


def default_step(run_a: Trace, run_b: Trace) -> int:
    """Where to patch by default: the step before the first word whose tags differ (0 when that
    is the first word, the last common step when no tag differs)."""
    at = first_difference(run_a, run_b)
    if at is None:
        return max(min(run_a.T, run_b.T) - 1, 0)
    return max(at - 1, 0)


def flip(model: Model, a, b, ranking, t: int | None = None, what: str = "c",
         at: int | None = None, limit: int | None = None, fast: bool = True) -> dict:
    """Patch the top 1, 2, 3 ... units of `ranking` ((layer, unit) pairs, best first) from A
    into B at step t until B's tag at step `at` is A's.

    t: default default_step(); at: default the first step >= t where the tags differ.
    Returns {t, at, tag_a, tag_b (B's own tag at `at`), k (how many units it took, or None),
    units (the k patched, or all tried), before (B's probability of A's tag at `at`), after
    (the same after patching the top 1, 2, ... units), tags_after (B's tag at `at` after each)}.
    """
    run_a, run_b = model.trace(a, fast=fast), model.trace(b, fast=fast)
    if run_a.probs is None:
        raise ValueError("this model has no softmax head, so it predicts no tags to flip")
    t = default_step(run_a, run_b) if t is None else int(t)
    at = first_difference(run_a, run_b, t) if at is None else int(at)
    tags = list(model.config.tags or [])
    out = {"t": t, "at": at, "k": None, "units": [], "before": None, "after": [],
           "tags_after": [], "tag_a": None, "tag_b": None}
    if at is None:  # nothing to flip: the runs agree from t on
        return out
    want = int(predicted(run_a)[at])
    out.update(tag_a=tags[want], tag_b=tags[int(predicted(run_b)[at])],
               before=float(run_b.probs[at, want]))
    ranking = units_of(ranking)[:limit]
    for k in range(1, len(ranking) + 1):
        run = patch_runs(model, run_a, b, ranking[:k], t, what, fast)
        out["after"].append(float(run.probs[at, want]))
        out["tags_after"].append(tags[int(predicted(run)[at])])
        if int(predicted(run)[at]) == want:
            out["k"] = k
            break
    out["units"] = [{"layer": l, "unit": u} for l, u in ranking[:len(out["after"])]]
    return out
