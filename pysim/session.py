"""The page's session: the one owner of what the page's worker shows. Every method returns plain
data (dicts of numpy arrays, lists and strings, or bytes) for pysim.api's worker.

State, written here only:

    model, name   the current model and the page's name for it ("beijing", "file: m.npz",
                  "trained: memory")
    custom        models loaded from files or trained on the page, by name: set_preset finds
                  them again
    training      the page's training run (pysim.live.Training), made on first use; it hands
                  each fresh model back through _adopt, which makes it current
    _corpus       the Contrast tab's corpus (pysim.evidence.Corpus) with the key it was made
                  for, so that selecting words in it runs nothing again

Switching models (set_preset, load_model, restore_model) answers with info(): io.describe, the
one description of a model. load_model also answers the text the page shows with the model,
and refuses a model that cannot trace it; on any error the session is left as it was.
"""
from __future__ import annotations

import re

from . import evidence, io, presets
from .model import Model
from .text import words
from .traces import flow_text, trace_text


class Session:
    """The worker's state: one current model, the models the page made, the training run."""

    def __init__(self, preset: str | None = None):
        self.name = preset or presets.NAMES[0]
        self.model = presets.load(self.name)
        self.custom = {}  # models loaded from files or trained on the page, by name
        self.training = None  # pysim.live.Training, once the page trains
        self._corpus = None   # (key, evidence.Corpus): the corpus view's last corpus

    def _adopt(self, model: Model, name: str) -> Model:
        """Make a model current under `name` (kept in custom, so set_preset finds it again)."""
        self.custom[name] = model
        self.model, self.name = model, name
        return model

    # ---- the current model ----------------------------------------------------------------
    def set_preset(self, name: str) -> dict:
        """A preset, or a model the page loaded or trained, by name."""
        self.model = self.custom[name] if name in self.custom else presets.load(name)  # raises
        self.name = name
        return self.info()

    def info(self) -> dict:
        return io.describe(self.model, self.name)

    def trace(self, text: str, clamps=None) -> dict:
        return trace_text(self.model, text, clamps)

    def gradient_flow(self, text: str) -> dict:
        """||dL_T/dC_t|| (LSTM) and ||dL_T/dh_t|| (plain tanh RNN) for the text."""
        return flow_text(self.model, text)

    # ---- a cell wired by hand (pysim/handwired.py; the page's Wire tab) ----------------------
    def wire(self, weights, inputs) -> dict:
        """Trace input vectors (text "[3,1,0] [4,1,0]" or a list of vectors) through a tiny cell
        with these weights (W_f, W_i, W_C, W_o, b_f, b_i, b_C, b_o): handwired.wire. The current
        model is not touched."""
        from . import handwired
        if hasattr(inputs, "to_py"):
            inputs = inputs.to_py()
        return handwired.wire(_plain(weights), inputs)
    # ---- contrast, patching, ablation, the corpus view (pysim/evidence.py) ----------------
    def contrast(self, a: str, b: str) -> dict:
        """Two texts compared unit by unit: pysim.contrast, plus both runs' C, h, probs."""
        return evidence.contrast_text(self.model, str(a), str(b))

    def patch(self, a: str, b: str, units, t: int, what: str = "c") -> dict:
        """b's trace with `units`' C (what "c") or C and h ("ch") at step t copied from a's run."""
        return evidence.patch_text(self.model, str(a), str(b), _list(units), t, str(what))

    def ablate(self, text: str, units) -> dict:
        """The text's trace with `units` zeroed (C = h = 0) at every step."""
        return evidence.ablate_text(self.model, str(text), _list(units))

    def flip(self, a: str, b: str, t=None, what: str = "c", limit=None) -> dict:
        """Patch the top 1, 2, ... units from a into b until b's tag at the differing word flips."""
        return evidence.flip_text(self.model, str(a), str(b), t, str(what), limit)

    def corpus(self, source: str, lines=None, layer: int = 0, unit: int = 0,
               what: str = "c") -> dict:
        """One unit over many sentences (evidence.corpus_sentences' sources), strongest first;
        the corpus is kept for corpus_select (the same source, lines and what: not re-run)."""
        key = (self.name, id(self.model), str(source), str(lines or ""), str(what))
        if self._corpus is None or self._corpus[0] != key:
            sentences = evidence.corpus_sentences(self.model, str(source), _list(lines))
            self._corpus = (key, evidence.Corpus(self.model, sentences, str(what)))
        return self._corpus[1].view(int(layer), int(unit))

    def corpus_select(self, k: int, steps, top: int = 3) -> dict:
        """The units on at `steps` of sentence k (corpus index) and off elsewhere, and the other
        sentences where they are on (pysim.corpus.select), on the last corpus viewed."""
        if self._corpus is None or self._corpus[1].model is not self.model:
            raise ValueError("Show a corpus first: the selection is made in its sentences.")
        return self._corpus[1].select(int(k), _list(steps), int(top))

    # ---- model files ------------------------------------------------------------------------
    def load_model(self, data, filename: str = "model.npz", vocab=None, names=None,
                   current: str = "") -> dict:
        """Load a user's model file (bytes) and make it current: io.describe (with the file) +
        the text the page shows with it. On any error the Session is left as it was.

        vocab: the bytes of a vocabulary file (one word per line, or a JSON list), its text, or a
        list of words, for a file whose meta has none. names: the file's module names -> pysim's
        roles ("emb=embedding,encoder=lstm,fc=head" or a dict). current: the page's text.

        "text" is a sentence the model reads: its own example (io.example_text), else `current`
        when the model knows every word of it (any text, for a model that reads vectors), else
        "". With "", "probe" is one word of its vocabulary, which the page traces while its
        text box is empty and prompts for a sentence ("reads" says what the model reads).
        Refused (ModelFileError) when the model cannot trace the text or word it will show.
        """
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
        self._adopt(model, name)
        return {**io.describe(model, name, filename), "text": text, "probe": probe}

    def restore_model(self, data, name: str) -> dict:
        """Make a model the page had before Python restarted current again: its .npz bytes (from
        load_model's file or train_export), under the name it had."""
        self._adopt(io.load(_bytes(data)), str(name))
        return self.info()

    def export_model(self, compressed: bool = False) -> bytes:
        """The current model as an .npz file (PyTorch state_dict names). Uncompressed unless
        asked: float64 weights barely compress, and deflating them in Pyodide took ~1.5 s for a
        15 MB model (benchmarks/export.py)."""
        return io.to_bytes(self.model, compress=bool(compressed))

    # ---- training (pysim/live.py) -----------------------------------------------------------
    def _training(self):
        """The page's training run, made on first use."""
        if self.training is None:
            from .live import Training  # training's modules load when the page first trains
            self.training = Training(adopt=self._adopt)
        return self.training

    def train_setup(self, options=None) -> dict:
        """A fresh model for {task, optimizer, lr, seed}; it becomes the current model."""
        return self._training().setup(_plain(options))

    def train_chunk(self, n: int = 10, options=None) -> dict:
        """n training updates of the current run (options: lr / optimizer changes)."""
        return self._training().chunk(n, _plain(options))

    def train_add(self, text: str, task: str | None = None) -> dict:
        """Add a hand-tagged sentence: "arrive Beijing/destination on November 2nd"."""
        return self._training().add(text, task)

    def train_remove(self, index=-1) -> dict:
        return self._training().remove(index)

    def train_status(self, prepare: str | None = None) -> dict:
        """The training run's state; prepare: a task whose corpus to generate now (the page
        asks when the Train tab opens, so Start does not wait for it)."""
        return self._training().status(prepare)

    def train_export(self) -> bytes:
        """The model being trained as an .npz file (the current model if none is)."""
        run = self.training
        model = run.trainer.model if run is not None and run.trainer is not None else self.model
        return io.to_bytes(model, compress=False)


# ---- what the page sends ----------------------------------------------------------------------

def _shown_text(model: Model, current: str) -> tuple[str, str]:
    """(text, probe) for a model just loaded: see Session.load_model."""
    text = io.example_text(model)
    if not text and model.config.vocab is None:  # it reads any text, as vectors
        text = current if words(current)[0] else presets.ARTICLE_SENTENCES[0]
    elif not text and words(current)[0] and io.knows_words(model, current):
        text = current
    if text:
        return text, ""
    vocab = model.config.vocab
    special = re.compile(r"^(<.*>|\[.*\])$")  # <pad>, [CLS], ...: not a word to show
    readable = [w for w in vocab if w != model.config.unk and words(w)[0] == [w]]
    return "", next((w for w in readable if not special.match(w)), readable[0] if readable else "")


def _list(obj):
    """A JS array arriving through Pyodide (a JsProxy or converted list) -> a list (a string
    stays a string; None stays None)."""
    if hasattr(obj, "to_py"):
        obj = obj.to_py()
    return obj if obj is None or isinstance(obj, str) else list(obj)


def _bytes(data) -> bytes:
    """File contents arriving as bytes, a JS Uint8Array (through Pyodide) or a memoryview."""
    if hasattr(data, "to_py"):
        data = data.to_py()
    return bytes(data)


def _vocab(vocab):
    """A vocabulary as the page sends it -> io.read_vocab: file bytes, its text, or words."""
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
