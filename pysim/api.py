"""What the page's worker and the CLI call: text in, a trace as plain arrays out."""
from __future__ import annotations

import functools
import re
import zlib

import numpy as np

from .model import MAX_TOKENS, Clamp, Model
from .text import words

TRACE_ARRAYS = ("f", "i", "g", "o", "c", "h")


def word_vectors(tokens: list[str], width: int) -> np.ndarray:
    """Fixed pseudo-random vectors for words, for models that take vectors, not words.

    Each word always gets the same vector (seeded by its CRC-32), so traces are reproducible.
    """
    return np.stack([_word_vector(w, width) for w in tokens]) if tokens else np.zeros((0, width))


# a retrace meets the same words again, and a generator per word costs ~10 us (more in
# Pyodide): keep the vectors of about one text's worth of words (MAX_TOKENS)
@functools.lru_cache(maxsize=1024)
def _word_vector(word: str, width: int) -> np.ndarray:
    vector = np.random.default_rng(zlib.crc32(word.encode("utf-8"))).standard_normal(width)
    vector.flags.writeable = False  # shared between calls
    return vector


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
    tokens, notices = words(text)  # control characters and invisible words out (pysim/text.py)
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


def model_info(model: Model, name: str) -> dict:
    """What the page names a model by: sizes, tags, description, "reads" (what it reads,
    io.reads) and "article" (it knows every word of both article sentences: the page shows
    their buttons only then)."""
    from . import io
    from .presets import ARTICLE_SENTENCES
    cfg = model.config
    return {"name": name, "layers": cfg.num_layers, "hidden": cfg.hidden_size,
            "input": cfg.input_size, "tags": list(cfg.tags or []),
            "vocab": len(cfg.vocab) if cfg.vocab else 0,
            "description": model.meta.get("description", ""), "reads": io.reads(model),
            "article": all(io.knows_words(model, s) for s in ARTICLE_SENTENCES)}


class Session:
    """The worker's state: one current model. Every method returns plain data.

    Switching models (set_preset, load_model, restore_model) answers with info() (model_info).
    load_model also answers the text the page shows with the model, and refuses a model that
    cannot trace it.
    """

    def __init__(self, preset: str | None = None):
        from . import presets
        self.model = presets.load(preset or presets.NAMES[0])
        self.name = preset or presets.NAMES[0]
        self.custom = {}  # models loaded from files or trained on the page, by name
        self.training = None  # pysim.live.Training, once the page trains

    def set_preset(self, name: str) -> dict:
        from . import presets
        custom = getattr(self, "custom", {})
        self.model = custom[name] if name in custom else presets.load(name)  # raises first
        self.name = name
        return self.info()

    def info(self) -> dict:
        return model_info(self.model, self.name)

    def trace(self, text: str, clamps=None) -> dict:
        return trace_text(self.model, text, clamps)

    def load_model(self, data, filename: str = "model.npz", vocab=None, names=None,
                   current: str = "") -> dict:
        """Load a user's model file (bytes) and make it current: info() + describe() + the text
        the page shows with it. On any error the Session is left as it was.

        vocab: the bytes of a vocabulary file (one word per line, or a JSON list), its text, or a
        list of words, for a file whose meta has none. names: the file's module names -> pysim's
        roles ("emb=embedding,encoder=lstm,fc=head" or a dict). current: the page's text.

        "text" is a sentence the model reads: its own example (io.example_text), else `current`
        when the model knows every word of it (any text, for a model that reads vectors), else
        "". With "", "probe" is one word of its vocabulary, which the page traces while its
        text box is empty and prompts for a sentence ("reads" says what the model reads).
        Refused (ModelFileError) when the model cannot trace the text or word it will show.
        """
        from . import io
        from .live import describe
        name = "file: " + (str(filename)[:80] or "model.npz")  # a browser's File.name: no path
        model = io.load(_bytes(data), vocab=_vocab(vocab), names=_plain(names) or None)
        text, probe = _shown_text(model, str(current or ""))
        if not (text or probe):
            raise io.ModelFileError("the model cannot be shown: it has no example sentence, and "
                                    "no word of its vocabulary can be typed (each has spaces)")
        try:
            trace_text(model, text or probe)
        except ValueError as e:
            raise io.ModelFileError(f"the model cannot read {text or probe!r}, the text it would "
                                    f"show: {e}") from None
        self._make_current(model, name)
        return {**self.info(), **describe(model, filename), "text": text, "probe": probe}

    def restore_model(self, data, name: str) -> dict:
        """Make a model the page had before Python restarted current again: its .npz bytes (from
        load_model's file or train_export), under the name it had."""
        from . import io
        self._make_current(io.load(_bytes(data)), str(name))
        return self.info()

    def _make_current(self, model, name: str):
        """Make a model current under `name` (kept in custom, so set_preset finds it again)."""
        self.custom[name] = model
        self.model, self.name = model, name
        return model

    def export_model(self, compressed: bool = False) -> bytes:
        """The current model as an .npz file (PyTorch state_dict names). Uncompressed unless
        asked: float64 weights barely compress, and deflating them in Pyodide took ~1.5 s for a
        15 MB model (benchmarks/export.py)."""
        from . import io
        return io.to_bytes(self.model, compress=bool(compressed))

    # ---- feature panels: training, gradient flow (see pysim/live.py) --------------------
    def train_setup(self, options=None) -> dict:
        """A fresh model for {task, optimizer, lr, seed}; it becomes the current model."""
        from . import live
        return live.training(self).setup(_plain(options))

    def train_chunk(self, n: int = 10, options=None) -> dict:
        """n training updates of the current run (options: lr / optimizer changes)."""
        from . import live
        return live.training(self).chunk(n, _plain(options))

    def train_add(self, text: str, task: str | None = None) -> dict:
        """Add a hand-tagged sentence: "arrive Beijing/destination on November 2nd"."""
        from . import live
        return live.training(self).add(text, task)

    def train_remove(self, index=-1) -> dict:
        from . import live
        return live.training(self).remove(index)

    def train_status(self, prepare: str | None = None) -> dict:
        """The training run's state; prepare: a task whose corpus to generate now (the page
        asks when the Train tab opens, so Start does not wait for it)."""
        from . import live
        return live.training(self).status(prepare)

    def train_export(self) -> bytes:
        """The model being trained as an .npz file (the current model if none is)."""
        from . import io
        run = getattr(self, "training", None)
        model = run.trainer.model if run is not None and run.trainer is not None else self.model
        return io.to_bytes(model, compress=False)

    def gradient_flow(self, text: str) -> dict:
        """||dL_T/dC_t|| (LSTM) and ||dL_T/dh_t|| (plain tanh RNN) for the text."""
        from . import live
        return live.gradient_flow(self.model, text)


def _shown_text(model: Model, current: str) -> tuple[str, str]:
    """(text, probe) for a model just loaded: see Session.load_model."""
    from . import io
    from .presets import ARTICLE_SENTENCES
    text = io.example_text(model)
    if not text and model.config.vocab is None:  # it reads any text, as vectors
        text = current if words(current)[0] else ARTICLE_SENTENCES[0]
    elif not text and words(current)[0] and io.knows_words(model, current):
        text = current
    if text:
        return text, ""
    vocab = model.config.vocab
    special = re.compile(r"^(<.*>|\[.*\])$")  # <pad>, [CLS], ...: not a word to show
    readable = [w for w in vocab if w != model.config.unk and words(w)[0] == [w]]
    return "", next((w for w in readable if not special.match(w)), readable[0] if readable else "")


def _bytes(data) -> bytes:
    """File contents arriving as bytes, a JS Uint8Array (through Pyodide) or a memoryview."""
    if hasattr(data, "to_py"):
        data = data.to_py()
    return bytes(data)


def _vocab(vocab):
    """A vocabulary as the page sends it -> io.read_vocab: file bytes, its text, or words."""
    from . import io
    if vocab is None:
        return None
    if hasattr(vocab, "to_py"):
        vocab = vocab.to_py()
    if isinstance(vocab, str):
        vocab = vocab.encode("utf-8")
    elif isinstance(vocab, (list, tuple)):
        return io.read_vocab(list(vocab))
    return io.read_vocab(bytes(vocab))


def _plain(obj):
    """A JS object arriving through Pyodide (a JsProxy or converted dict) -> a dict."""
    if obj is None:
        return None
    if hasattr(obj, "to_py"):
        obj = obj.to_py()
    return obj.strip() if isinstance(obj, str) else dict(obj)
