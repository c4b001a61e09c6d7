"""A text through a model, as plain data: what the page's worker sends and the CLI prints.

    trace_text(model, text, clamps) -> dict    {tokens, unknown, notice, shape, tags, f, i, g, o,
                                               c, h (L, T, H), probs (T, K)}, numpy arrays
                                               (base_c, base_h, base_probs: the unclamped run)
    trace_json(model, text, clamps) -> dict    the same as JSON lists, [step][unit]
    flow_text(model, text) -> dict             the gradient-flow view: ||dL_T/dC_t|| of the LSTM
                                               and ||dL_T/dh_t|| of a plain tanh RNN (pysim.rnn)

Text is read by pysim.text.words (control characters and invisible words out, each noticed)
and cut at MAX_TOKENS; a model that reads vectors gets text.word_vectors. Bad input raises
ValueError with a message meant for the user.
"""
from __future__ import annotations

import numpy as np

from . import rnn
from .model import MAX_TOKENS, Clamp, Model
from .text import word_vectors, words

TRACE_ARRAYS = ("f", "i", "g", "o", "c", "h")


def to_clamps(specs) -> list[Clamp]:
    """Clamps from plain dicts {gate, value, layer, unit, t0, t1} (the page sends these)."""
    clamps = []
    for spec in specs or []:
        if not isinstance(spec, dict) and hasattr(spec, "gate"):  # a Clamp, or a pysim.patching.Patch
            clamps.append(spec)
            continue
        spec = dict(spec)
        unit = spec.get("unit")
        clamps.append(Clamp(gate=str(spec["gate"]), value=float(spec.get("value", 0.0)),
                            layer=int(spec.get("layer", 0)),
                            unit=None if unit is None or unit == "all" else int(unit),
                            t0=int(spec.get("t0", 0)), t1=int(spec.get("t1", MAX_TOKENS))))
    return clamps


def read_text(model: Model, text: str) -> tuple[list[str], object, list[str]]:
    """(tokens, what the model reads, notices) for a text: whitespace tokens (control characters
    and invisible words out, pysim/text.py), cut at MAX_TOKENS; a model that reads vectors gets
    text.word_vectors. An empty text raises ValueError with a message meant for the user."""
    tokens, notices = words(str(text))
    if not tokens:
        raise ValueError(" ".join(["Type at least one word: the text is empty.", *notices]))
    if len(tokens) > MAX_TOKENS:
        notices.append(f"The text has {len(tokens)} words; pysim reads the first {MAX_TOKENS}.")
        tokens = tokens[:MAX_TOKENS]
    inputs = tokens
    if model.config.vocab is None:
        inputs = word_vectors(tokens, model.config.input_size)
        notices.append("This model reads vectors, not words: each word is fed as a fixed "
                       "pseudo-random vector.")
    return tokens, inputs, notices


def trace_text(model: Model, text: str, clamps=None) -> dict:
    """Trace `text` (whitespace tokens, cut at MAX_TOKENS) and return plain arrays.

    With clamps, the trace is the clamped run, and base_c, base_h, base_probs hold the
    unclamped run for comparison. Raises ValueError with a message meant for the user.
    """
    tokens, inputs, notices = read_text(model, text)
    clamps = to_clamps(clamps)
    tr = model.trace(inputs, clamps=clamps)
    out = {
        "tokens": tokens,
        "unknown": tr.unknown.astype(np.uint8),
        "notice": " ".join(notices),
        "shape": [model.config.num_layers, tr.T, model.config.hidden_size],
        "tags": list(model.config.tags or []),
    }
    for name in TRACE_ARRAYS:
        out[name] = np.ascontiguousarray(getattr(tr, name), dtype=np.float64)  # (L, T, H)
    out["probs"] = _probs(tr)
    if clamps:
        base = model.trace(inputs)
        out["base_c"] = np.ascontiguousarray(base.c, dtype=np.float64)  # (L, T, H)
        out["base_h"] = np.ascontiguousarray(base.h, dtype=np.float64)
        out["base_probs"] = _probs(base)
    return out


def _probs(tr) -> np.ndarray:  # (T, K)
    if tr.probs is None:
        return np.zeros((tr.T, 0))
    return np.ascontiguousarray(tr.probs, dtype=np.float64)


def trace_json(model: Model, text: str, clamps=None) -> dict:
    """The same trace as plain JSON: {tokens, layers: [{f, i, g, o, c, h}], probs}, [step][unit]."""
    d = trace_text(model, text, clamps)
    return {
        "tokens": d["tokens"],
        "unknown": [bool(u) for u in d["unknown"]],
        "layers": [{k: d[k][l].tolist() for k in TRACE_ARRAYS} for l in range(d["shape"][0])],
        "probs": d["probs"].tolist(),
        "tags": d["tags"],
        "notice": d["notice"],
    }


def flow_text(model: Model, text: str) -> dict:
    """||dL_T/dC_t|| of the model's top LSTM layer and ||dL_T/dh_t|| of a plain tanh RNN of the
    same size on the same input vectors (pysim.rnn.compare), for the loss at the last step."""
    tokens = words(str(text))[0][:MAX_TOKENS]  # the words the trace reads
    if not tokens:
        raise ValueError("Type at least one word: the text is empty.")
    if model.head_W is None:
        raise ValueError("This model has no softmax head, so there is no loss whose gradient "
                         "could flow back.")
    inputs = tokens if model.config.vocab is not None else word_vectors(tokens,
                                                                        model.config.input_size)
    lstm, plain = rnn.compare(model, inputs)
    probs = model.trace(inputs).probs[-1]
    target = int(np.argmax(probs))
    return {"tokens": tokens, "lstm": np.ascontiguousarray(lstm, dtype=np.float64),
            "rnn": np.ascontiguousarray(plain, dtype=np.float64),
            "target": (model.config.tags or [])[target] if model.config.tags else str(target),
            "layer": model.config.num_layers - 1, "hidden": model.config.hidden_size}
