"""What the page's worker and the CLI call: text in, a trace as plain arrays out."""
from __future__ import annotations

import numpy as np

from .model import GATES, MAX_TOKENS, Model, tokenize

TRACE_ARRAYS = ("f", "i", "g", "o", "c", "h")


def trace_text(model: Model, text: str) -> dict:
    """Trace `text` (whitespace tokens, cut at MAX_TOKENS) and return plain arrays.

    Raises ValueError with a message meant for the user when there is nothing to trace.
    """
    tokens = tokenize(text)
    if not tokens:
        raise ValueError("Type at least one word: the text is empty.")
    notice = ""
    if len(tokens) > MAX_TOKENS:
        notice = f"The text has {len(tokens)} words; pysim reads the first {MAX_TOKENS}."
        tokens = tokens[:MAX_TOKENS]
    tr = model.trace(tokens)
    out = {
        "tokens": tr.tokens,
        "unknown": tr.unknown.astype(np.uint8),
        "notice": notice,
        "shape": [model.config.num_layers, tr.T, model.config.hidden_size],
        "tags": list(model.config.tags or []),
    }
    for name in TRACE_ARRAYS:
        out[name] = np.ascontiguousarray(getattr(tr, name), dtype=np.float64)  # (L, T, H)
    out["probs"] = (np.ascontiguousarray(tr.probs, dtype=np.float64) if tr.probs is not None
                    else np.zeros((tr.T, 0)))  # (T, K)
    return out


def trace_json(model: Model, text: str) -> dict:
    """The same trace as plain JSON: {tokens, layers: [{f, i, g, o, c, h}], probs}, [step][unit]."""
    d = trace_text(model, text)
    return {
        "tokens": d["tokens"],
        "unknown": [bool(u) for u in d["unknown"]],
        "layers": [{k: d[k][l].tolist() for k in TRACE_ARRAYS} for l in range(d["shape"][0])],
        "probs": d["probs"].tolist(),
        "tags": d["tags"],
        "notice": d["notice"],
    }





class Session:
    """The worker's state: one current model. Every method returns plain data."""

    def __init__(self, preset: str | None = None):
        from . import presets
        self.model = presets.load(preset or presets.NAMES[0])
        self.name = preset or presets.NAMES[0]

    def set_preset(self, name: str) -> dict:
        from . import presets
        self.model = presets.load(name)  # raises before anything changes
        self.name = name
        return self.info()

    def info(self) -> dict:
        cfg = self.model.config
        return {"name": self.name, "layers": cfg.num_layers, "hidden": cfg.hidden_size,
                "input": cfg.input_size, "tags": list(cfg.tags or []),
                "vocab": len(cfg.vocab) if cfg.vocab else 0,
                "description": self.model.meta.get("description", "")}

    def trace(self, text: str) -> dict:
        return trace_text(self.model, text)
