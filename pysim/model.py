"""The LSTM model: parameters, words -> vectors, and the forward pass with its full trace.

The equations (the article's, one line each) are pysim.lstm.step; the forward pass and backprop
through time that training and the gradients run on are pysim.lstm.forward / backward.
Model.trace runs their fast twin for one sequence (pysim.fast.forward: one product and one tanh
per step), what the page runs at every keystroke; Model.trace(fast=False) runs
pysim.lstm.forward (a batch of one) instead; the tests check the twins against each other on
every shape they use (pysim.lstm says how).

Inside pysim the four gate blocks are stacked in the article's order (f, i, g, o):
W is (4H, H + D) with rows [W_f; W_i; W_g; W_o] and columns [h part | x part].
The file format (pysim.io) converts to PyTorch's (i, f, g, o) order at the boundary
(pysim.torchnames: torch_names, swap_fi).
Model.loss_and_grads gives the loss and its gradients (pysim.lstm.backward, a gradient being
its forward name with a d), under PyTorch's names; pysim.lstm.gradient_flow gives
||dL_T/dC_t|| for the page's "how far back does the loss reach" view.

No I/O here (pysim.io reads and writes the file: pysim.load, pysim.save): this module imports
only pysim.lstm, pysim.fast and pysim.torchnames, and runs unchanged in CPython and in Pyodide.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import fast as _fast
from . import lstm
from .lstm import softmax
from .torchnames import torch_names

GATES = ("f", "i", "g", "o")  # the article's order; row blocks of W
UNK = "<unk>"  # pysim's own unknown-word token (its presets and training vocabularies)
UNK_TOKENS = (UNK, "<UNK>", "[UNK]", "<oov>", "<OOV>")  # recognised in a vocabulary, in this order
MAX_TOKENS = 1000  # longer texts are cut here (the page and the CLI say so)


def tokenize(text: str) -> list[str]:
    """Whitespace tokens, as typed (case kept for display)."""
    return text.split()


@dataclass
class Config:
    input_size: int       # D: embedding width, or the width of raw input vectors
    hidden_size: int      # H: units per layer
    num_layers: int = 1   # L
    vocab: list[str] | None = None  # None: the model takes vectors, not words
    tags: list[str] | None = None   # None: no softmax head
    unk: str | None = None          # the unknown-word token; None: the first of UNK_TOKENS in vocab

    def __post_init__(self):
        if self.vocab is None:
            if self.unk is not None:
                raise ValueError("an unknown-word token needs a vocabulary")
        elif self.unk is None:
            self.unk = next((w for w in UNK_TOKENS if w in self.vocab), None)
        elif self.unk not in self.vocab:
            raise ValueError(f"the unknown-word token {self.unk!r} is not in the vocabulary")


@dataclass
class Layer:
    W: np.ndarray  # (4H, H + D) rows [W_f; W_i; W_g; W_o], columns [h_{t-1} | x_t]
    b: np.ndarray  # (4H,)       [b_f; b_i; b_g; b_o]

    @property
    def W_f(self):  # forget gate
        return self.W[0 * self.H:1 * self.H]

    @property
    def W_i(self):  # input gate
        return self.W[1 * self.H:2 * self.H]

    @property
    def W_g(self):  # candidate C~
        return self.W[2 * self.H:3 * self.H]

    @property
    def W_o(self):  # output gate
        return self.W[3 * self.H:4 * self.H]

    @property
    def H(self) -> int:
        return self.W.shape[0] // 4


@dataclass(frozen=True)
class Clamp:
    """Force a gate of one unit (or all units) to a value over steps t0..t1 (inclusive).

    gate "zero" silences the unit instead: its C and h are set to 0 at those steps.
    """
    gate: str                 # "f", "i", "o" or "zero"
    value: float = 0.0        # 0..1 for a gate
    layer: int = 0
    unit: int | None = None   # None: every unit of the layer
    t0: int = 0
    t1: int = MAX_TOKENS

    def __post_init__(self):
        if self.gate not in ("f", "i", "o", "zero"):
            raise ValueError(f"clamp gate must be f, i, o or zero, not {self.gate!r}")
        if self.gate != "zero" and not 0.0 <= self.value <= 1.0:
            raise ValueError(f"a gate is clamped to a value in 0..1, not {self.value}")
        if self.t0 < 0 or self.t1 < self.t0:
            raise ValueError(f"clamp steps must satisfy 0 <= t0 <= t1, got {self.t0}..{self.t1}")


@dataclass
class Trace:
    """Everything the LSTM computed, for every layer, step and unit."""
    tokens: list[str]          # what was read (T); for vector input, "x0", "x1", ...
    unknown: np.ndarray        # (T,) bool: token mapped to the unknown-word token
    x: np.ndarray              # (T, D) the input vectors (embeddings)
    f: np.ndarray              # (L, T, H) forget gate
    i: np.ndarray              # (L, T, H) input gate
    g: np.ndarray              # (L, T, H) candidate C~
    o: np.ndarray              # (L, T, H) output gate
    c: np.ndarray              # (L, T, H) memory cell C
    h: np.ndarray              # (L, T, H) output h
    h0: np.ndarray             # (L, H) state before step 0
    c0: np.ndarray             # (L, H)
    logits: np.ndarray | None = None  # (T, K)
    probs: np.ndarray | None = None   # (T, K) softmax over tags
    clamps: list = field(default_factory=list)

    @property
    def T(self) -> int:
        return self.f.shape[1]

    def final_state(self):
        """(h_T, c_T), each (L, H): pass as h0, c0 to continue the sequence."""
        if self.T == 0:
            return self.h0.copy(), self.c0.copy()
        return self.h[:, -1].copy(), self.c[:, -1].copy()


class Model:
    """An LSTM stack with an optional embedding (words in) and softmax head (tags out)."""

    def __init__(self, config: Config, layers: list[Layer], embedding=None,
                 head_W=None, head_b=None, meta: dict | None = None):
        self.config = config
        self.layers = layers
        self.embedding = embedding  # (V, D) or None
        self.head_W = head_W        # (K, H) or None
        self.head_b = head_b        # (K,) or None
        self.meta = dict(meta or {})
        vocab = config.vocab or []
        self._index = {w: k for k, w in enumerate(vocab)}

    # ---- construction ---------------------------------------------------
    @classmethod
    def random(cls, config: Config, seed: int = 0, scale: float | None = None,
               meta: dict | None = None) -> "Model":
        """PyTorch's default init: U(-1/sqrt(H), 1/sqrt(H)); embedding N(0, 1)."""
        rng = np.random.default_rng(seed)
        H, D = config.hidden_size, config.input_size
        k = scale if scale is not None else 1.0 / np.sqrt(H)
        layers = []
        for layer in range(config.num_layers):
            d_in = D if layer == 0 else H
            layers.append(Layer(W=rng.uniform(-k, k, (4 * H, H + d_in)),
                                b=rng.uniform(-k, k, 4 * H)))
        embedding = head_W = head_b = None
        if config.vocab is not None:
            embedding = rng.standard_normal((len(config.vocab), D))
        if config.tags is not None:
            K = len(config.tags)
            head_W = rng.uniform(-k, k, (K, H))
            head_b = rng.uniform(-k, k, K)
        return cls(config, layers, embedding, head_W, head_b, meta)

    # ---- words -> vectors -------------------------------------------------
    def word_id(self, word: str):
        """The row of a word: exactly, else lower-cased; None when neither is in the vocabulary."""
        k = self._index.get(word)
        return self._index.get(word.lower()) if k is None else k

    def encode(self, tokens: list[str]):
        """Token ids and an unknown mask. Lookup: exact, then lower case, then the unknown-word
        token (config.unk); a word with no match and no unknown token is a ValueError."""
        if self.config.vocab is None:
            raise ValueError("this model takes input vectors, not words")
        unk = self._index.get(self.config.unk) if self.config.unk is not None else None
        ids, unknown = [], []
        for tok in tokens:
            k = self.word_id(tok)
            if k is None:
                if unk is None:
                    raise ValueError(f"word {tok!r} is not in the model's vocabulary and the model "
                                     "has no unknown-word token (meta \"unk\", or one of "
                                     f"{', '.join(UNK_TOKENS)} in the vocabulary)")
            ids.append(unk if k is None else k)
            unknown.append(k is None)
        return np.array(ids, dtype=np.int64), np.array(unknown, dtype=bool)

    # ---- forward ----------------------------------------------------------
    def embed(self, inputs):
        """(tokens, unknown (T,) bool, x (T, D)) for a string, a list of tokens, or (T, D) vectors."""
        cfg = self.config
        if isinstance(inputs, str):
            inputs = tokenize(inputs)
        if isinstance(inputs, np.ndarray):
            x = np.asarray(inputs, dtype=np.float64)
            if x.ndim != 2 or x.shape[1] != cfg.input_size:
                raise ValueError(f"input vectors must be (T, {cfg.input_size}), got {x.shape}")
            return [f"x{t}" for t in range(x.shape[0])], np.zeros(x.shape[0], dtype=bool), x
        tokens = list(inputs)
        ids, unknown = self.encode(tokens)
        x = self.embedding[ids] if len(ids) else np.zeros((0, cfg.input_size))
        return tokens, unknown, x

    def trace(self, inputs, h0=None, c0=None, clamps=None, fast: bool = True) -> Trace:
        """Run the LSTM over a sequence and keep every intermediate value.

        inputs: a string, a list of tokens, or an array of vectors (T, D).
        h0, c0: (L, H) initial state (zeros by default).
        clamps: optional list of Clamp overriding gate values (the trace is recomputed with them).
        fast: False runs the article's equations line by line (pysim.lstm.forward, a batch of
        one) instead of their fast twin (pysim.fast): the same values to 1e-12, a few times slower.
        """
        cfg = self.config
        L, H = cfg.num_layers, cfg.hidden_size
        tokens, unknown, x = self.embed(inputs)
        T = x.shape[0]
        h0 = np.zeros((L, H)) if h0 is None else np.asarray(h0, dtype=np.float64)
        c0 = np.zeros((L, H)) if c0 is None else np.asarray(c0, dtype=np.float64)
        if fast:
            f, i, g, o, c, h = _fast.forward(self, x, h0, c0, clamps)
        else:
            fw = lstm.forward(self, x[None], h0[:, None], c0[:, None], clamps)  # a batch of one
            f, i, g, o, c, h = (a[:, -T:, 0] if T else a[:, :0, 0]
                                for a in (fw.f, fw.i, fw.g, fw.o, fw.c, fw.h))  # (L, T, H)
        logits = probs = None
        if self.head_W is not None:
            logits = h[-1] @ self.head_W.T + self.head_b  # (T, K)
            probs = softmax(logits) if T else np.zeros((0, len(self.head_b)))
        return Trace(tokens=tokens, unknown=unknown, x=x, f=f, i=i, g=g, o=o, c=c, h=h,
                     h0=h0, c0=c0, logits=logits, probs=probs, clamps=list(clamps or []))

    # ---- tags ----------------------------------------------------------------
    def tag_ids(self, tags, T: int):
        """Tag names (or indices) -> (T,) int64 indices into config.tags, checked."""
        K = len(self.config.tags or [])
        if self.head_W is None:
            raise ValueError("this model has no softmax head, so it has no tags to train")
        index = {name: k for k, name in enumerate(self.config.tags or [])}
        ids = []
        for tag in tags:
            if isinstance(tag, str):
                if tag not in index:
                    raise ValueError(f"tag {tag!r} is not one of the model's tags {self.config.tags}")
                ids.append(index[tag])
            else:
                k = int(tag)
                if not 0 <= k < K:
                    raise ValueError(f"tag index {k} is out of range 0..{K - 1}")
                ids.append(k)
        if len(ids) != T:
            raise ValueError(f"got {len(ids)} tags for {T} tokens")
        return np.array(ids, dtype=np.int64)

    # ---- parameters, by their pysim names -------------------------------------
    def parameters(self) -> dict:
        """The arrays training updates in place: embedding, W_0, b_0, ..., head_W, head_b."""
        params = {}
        if self.embedding is not None:
            params["embedding"] = self.embedding
        for l, layer in enumerate(self.layers):
            params[f"W_{l}"] = layer.W
            params[f"b_{l}"] = layer.b
        if self.head_W is not None:
            params["head_W"] = self.head_W
            params["head_b"] = self.head_b
        return params

    # ---- loss and gradients ------------------------------------------------------
    def loss_and_grads(self, inputs, tags):
        """Mean per-token cross-entropy of the tags, and its gradients (pysim.lstm.backward).

        inputs: as for trace() (text, tokens or (T, D) vectors); tags: T tag names or indices.
        Returns (loss, grads) with grads keyed and laid out like the model file, i.e. like a
        PyTorch state_dict (lstm.weight_ih_l0, ... in PyTorch's (i, f, g, o) row order), so they
        compare with torch autograd directly. pysim names: Model.parameters().
        """
        tokens, _, x = self.embed(inputs)
        T = x.shape[0]
        if T == 0:
            raise ValueError("cannot compute a loss over an empty sequence")
        y = self.tag_ids(tags, T)                            # (T,)
        ids = None if self.embedding is None or isinstance(inputs, np.ndarray) else \
            self.encode(tokens)[0]
        loss, grads, _ = lstm.loss_and_grads(self, x[None], y[None], np.ones((1, T)),
                                             None if ids is None else ids[None])
        return loss, torch_names(grads, self.config.hidden_size, grads=True)

