"""The Contrast tab's data: contrast, patching, ablation and the corpus view as plain data
(numpy arrays at the top level, lists, strings) for pysim.session's worker methods.

    contrast_text(model, a, b)            pysim.contrast of two texts, plus both runs' C, h,
                                          probabilities (a_c, b_c, ... (L, T, H) / (T, K))
    patch_text(model, a, b, units, t, what)   the patched run of b as trace_text gives it
                                          (base_*: b's own run)
    ablate_text(model, text, units)       the run with the units zeroed (trace_text, base_*)
    flip_text(model, a, b, t, what, limit)    patch the top 1, 2, ... units (contrast's
                                          ranking) until b's tag at the differing word flips
    corpus_sentences(model, source, lines)    the sentences of a corpus source: "held-out" (the
                                          task the model was trained on: its held-out set),
                                          "examples" (the model's own example sentences),
                                          "lines" (the user's lines)
    Corpus                                a corpus's activations, kept for selections

Texts are read as the page's trace reads them (pysim.traces.read_text). Bad input raises
ValueError with a message meant for the user.
"""
from __future__ import annotations

import numpy as np

from . import contrast, corpus, patching, tasks
from .model import Model
from .traces import read_text, trace_text

CORPUS_MAX = 100   # sentences a corpus view reads at most
SOURCES = ("held-out", "examples", "lines")


def contrast_text(model: Model, a: str, b: str) -> dict:
    ta, ia, _ = read_text(model, a)
    tb, ib, _ = read_text(model, b)
    d = contrast.contrast(model, ia, ib)
    run_a, run_b = d.pop("run_a"), d.pop("run_b")
    d["tokensA"], d["tokensB"] = ta, tb
    L, H = model.config.num_layers, model.config.hidden_size
    d["shape"] = [L, H]
    d["default_t"] = patching.default_step(run_a, run_b)
    for key, run in (("a", run_a), ("b", run_b)):
        d[f"{key}_c"] = np.ascontiguousarray(run.c, dtype=np.float64)   # (L, T, H)
        d[f"{key}_h"] = np.ascontiguousarray(run.h, dtype=np.float64)
        d[f"{key}_probs"] = np.ascontiguousarray(
            run.probs if run.probs is not None else np.zeros((run.T, 0)), dtype=np.float64)
    d["tags"] = list(model.config.tags or [])
    return d


def _units(model: Model, units) -> list[tuple[int, int]]:
    L, H = model.config.num_layers, model.config.hidden_size
    out = patching.units_of(units)
    for l, u in out:
        if not (0 <= l < L and 0 <= u < H):
            raise ValueError(f"unit {u} of layer {l} does not exist (the model has {L} layer"
                             f"{'s' if L > 1 else ''} of {H} units)")
    return out


def patch_text(model: Model, a: str, b: str, units, t: int, what: str = "c") -> dict:
    _, ia, _ = read_text(model, a)
    _, ib, _ = read_text(model, b)
    run_a = model.trace(ia)
    T_b = model.embed(ib)[2].shape[0]
    t = int(t)
    if not 0 <= t < min(run_a.T, T_b):
        raise ValueError(f"the step to patch must be one both texts have: 0..{min(run_a.T, T_b) - 1}")
    patches = patching.patches_from(run_a, _units(model, units), t, what)
    return trace_text(model, b, patches)


def ablate_text(model: Model, text: str, units) -> dict:
    _, inputs, _ = read_text(model, text)
    T = model.embed(inputs)[2].shape[0]
    return trace_text(model, text, patching.ablation_patches(_units(model, units), T))


def flip_text(model: Model, a: str, b: str, t=None, what: str = "c", limit=None) -> dict:
    _, ia, _ = read_text(model, a)
    _, ib, _ = read_text(model, b)
    if model.head_W is None:
        raise ValueError("This model has no softmax head, so it predicts no tags to flip.")
    order = contrast.ranking(model, ia, ib)
    T = min(model.embed(ia)[2].shape[0], model.embed(ib)[2].shape[0])
    if t is not None and not 0 <= int(t) < T:
        raise ValueError(f"the step to patch must be one both texts have: 0..{T - 1}")
    return patching.flip(model, ia, ib, order, None if t is None else int(t), what,
                         limit=None if limit is None else int(limit))


def corpus_sentences(model: Model, source: str, lines=None) -> list[list[str]]:
    """The sentences (token lists) of a source, at most CORPUS_MAX."""
    if source == "lines":
        text = lines if isinstance(lines, str) else "\n".join(str(x) for x in lines or [])
        out = corpus.sentences_of(text.splitlines(), CORPUS_MAX)
        if not out:
            raise ValueError("Paste some sentences, one a line.")
        return out
    training = model.meta.get("training") if isinstance(model.meta.get("training"), dict) else {}
    if source == "held-out":
        task = training.get("task")
        if task not in tasks.TASKS:
            raise ValueError("This model was not trained on one of pysim's tasks, so it has no "
                             "held-out set: paste your own sentences, or use its examples.")
        settings = {k: v for k, v in (training.get("corpus") or {}).items()
                    if k in ("n_test",)}
        test = tasks.make(task, seed=int(training.get("seed", 0)), **settings).test
        return corpus.sentences_of([w for w, _ in test], CORPUS_MAX)
    if source == "examples":
        examples = [s for s in model.meta.get("examples") or [] if isinstance(s, str)]
        held = training.get("held_out_examples")
        examples += [s for s in held if isinstance(s, str)] if isinstance(held, list) else []
        out = corpus.sentences_of(examples, CORPUS_MAX)
        if not out:
            raise ValueError("This model has no example sentences: paste your own.")
        return out
    raise ValueError(f"a corpus comes from {', '.join(SOURCES)}, not {source!r}")


class Corpus:
    """A corpus's sentences and every unit's values on them (corpus.activations), kept so that
    a selection of words needs no new run."""

    def __init__(self, model: Model, sentences, what: str = "c"):
        self.model, self.sentences, self.what = model, sentences, what
        self.acts = corpus.activations(model, sentences, what)

    def view(self, layer: int, unit: int) -> dict:
        """The unit over the corpus, sentences strongest first: {tokens: [[...]], values (flat,
        in that order), lengths, response, order (corpus indices), what}."""
        H = self.model.config.hidden_size
        v = corpus.unit_view(self.acts, int(layer), int(unit), H)
        order = v["order"]
        return {"tokens": [self.sentences[k] for k in order],
                "values": np.concatenate([v["values"][k] for k in order]).astype(np.float64),
                "lengths": [len(self.sentences[k]) for k in order],
                "response": [float(v["response"][k]) for k in order],
                "order": order, "what": self.what, "layer": int(layer), "unit": int(unit)}

    def select(self, k: int, steps, top: int = 3) -> dict:
        """corpus.select for sentence k (a corpus index): {units: [{layer, unit, score}],
        matches: [{sentence, steps}]}."""
        H = self.model.config.hidden_size
        s = corpus.select(self.acts, int(k), [int(t) for t in steps], int(top))
        return {"units": [{"layer": n // H, "unit": n % H, "score": float(s["score"][n])}
                          for n in s["units"]],
                "matches": s["matches"], "sentence": int(k)}
