"""What the page's worker and the CLI call: text in, a trace as plain arrays out."""
from __future__ import annotations

import zlib

import numpy as np

from .model import MAX_TOKENS, Clamp, Model, tokenize

TRACE_ARRAYS = ("f", "i", "g", "o", "c", "h")


def word_vectors(tokens: list[str], width: int) -> np.ndarray:
    """Fixed pseudo-random vectors for words, for models that take vectors, not words.

    Each word always gets the same vector (seeded by its CRC-32), so traces are reproducible.
    """
    return np.stack([np.random.default_rng(zlib.crc32(w.encode("utf-8"))).standard_normal(width)
                     for w in tokens]) if tokens else np.zeros((0, width))


def to_clamps(specs) -> list[Clamp]:
    """Clamps from plain dicts {gate, value, layer, unit, t0, t1} (the page sends these)."""
    clamps = []
    for spec in specs or []:
        spec = dict(spec)
        unit = spec.get("unit")
        clamps.append(Clamp(gate=str(spec["gate"]), value=float(spec.get("value", 0.0)),
                            layer=int(spec.get("layer", 0)),
                            unit=None if unit is None or unit == "all" else int(unit),
                            t0=int(spec.get("t0", 0)), t1=int(spec.get("t1", MAX_TOKENS))))
    return clamps


def trace_text(model: Model, text: str, clamps=None) -> dict:
    """Trace `text` (whitespace tokens, cut at MAX_TOKENS) and return plain arrays.

    With clamps, the trace is the clamped run, and base_c, base_h, base_probs hold the
    unclamped run for comparison. Raises ValueError with a message meant for the user.
    """
    tokens = tokenize(text)
    if not tokens:
        raise ValueError("Type at least one word: the text is empty.")
    notices = []
    if len(tokens) > MAX_TOKENS:
        notices.append(f"The text has {len(tokens)} words; pysim reads the first {MAX_TOKENS}.")
        tokens = tokens[:MAX_TOKENS]
    inputs = tokens
    if model.config.vocab is None:
        inputs = word_vectors(tokens, model.config.input_size)
        notices.append("This model reads vectors, not words: each word is fed as a fixed "
                       "pseudo-random vector.")
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

    def trace(self, text: str, clamps=None) -> dict:
        return trace_text(self.model, text, clamps)

    def load_model(self, data, filename: str = "model.npz") -> dict:
        """Load a user's model file (bytes); on any error the current model stays."""
        from . import io
        if hasattr(data, "to_py"):  # a JS Uint8Array arriving through Pyodide
            data = data.to_py()
        model = io.load(bytes(data))
        self.model = model
        self.name = filename
        return self.info()

    def export_model(self) -> bytes:
        """The current model as an .npz file (PyTorch state_dict names)."""
        from . import io
        return io.to_bytes(self.model)
