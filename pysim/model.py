"""The LSTM itself: parameters, the forward pass and its full trace.

Equations (the article's, on the concatenation [h_{t-1}, x_t]):

    f_t = sigma(W_f . [h_{t-1}, x_t] + b_f)      forget gate: how much of C_{t-1} is kept
    i_t = sigma(W_i . [h_{t-1}, x_t] + b_i)      input gate: how much of the candidate enters
    g_t = tanh (W_g . [h_{t-1}, x_t] + b_g)      candidate C~_t
    C_t = f_t * C_{t-1} + i_t * g_t              memory cell
    o_t = sigma(W_o . [h_{t-1}, x_t] + b_o)      output gate: how much of the memory is output
    h_t = o_t * tanh(C_t)                        output

Inside pysim the four gate blocks are stacked in the article's order (f, i, g, o):
W is (4H, H + D) with rows [W_f; W_i; W_g; W_o] and columns [h part | x part].
The file format (pysim.io) converts to PyTorch's (i, f, g, o) order at the boundary.

Backprop through time (Model.backward, Model.loss_and_grads) mirrors the forward line by line,
from the last step back; a gradient is its forward name with a d (dW, db, dc, dh).
gradient_flow() gives ||dL_T/dC_t|| for the page's "how far back does the loss reach" view.

No I/O here (pysim.io reads and writes the file: pysim.load, pysim.save): this module
imports nothing of pysim and runs unchanged in CPython and in Pyodide.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field

import numpy as np

GATES = ("f", "i", "g", "o")  # the article's order; row blocks of W
UNK = "<unk>"  # pysim's own unknown-word token (its presets and training vocabularies)
UNK_TOKENS = (UNK, "<UNK>", "[UNK]", "<oov>", "<OOV>")  # recognised in a vocabulary, in this order
MAX_TOKENS = 1000  # longer texts are cut here (the page and the CLI say so)
# Pyodide's numpy has no BLAS: there einsum's loop does a matrix-vector product of more than
# ~3000 weights faster than matmul's (4H x (2H + 1): H = 32: 5.4 vs 6.8 us; H = 128: 44 vs 103 us)
EINSUM_MATVEC_SIZE = 3000 if sys.platform == "emscripten" else None


def sigmoid(z):
    # = 1 / (1 + e^-z) through tanh: no exp, so nothing overflows for any z, and no branches
    return 0.5 * np.tanh(0.5 * z) + 0.5


def gate_scale(H: int):
    """(4H,) scale and shift with which one tanh gives all four gates [f | i | g | o]:
    scale * tanh(scale * z) + shift is sigmoid(z) (as above) for f, i, o and tanh(z) for g."""
    scale = np.repeat([0.5, 0.5, 1.0, 0.5], H)
    shift = np.repeat([0.5, 0.5, 0.0, 0.5], H)
    return scale, shift


def softmax(z):  # (T, K) -> (T, K), rows sum to 1
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


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
    z: np.ndarray              # (L, T, 4H) pre-activations [z_f | z_i | z_g | z_o]
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
    def trace(self, inputs, h0=None, c0=None, clamps=None) -> Trace:
        """Run the LSTM over a sequence and keep every intermediate value.

        inputs: a string, a list of tokens, or an array of vectors (T, D).
        h0, c0: (L, H) initial state (zeros by default).
        clamps: optional list of Clamp overriding gate values (the trace is recomputed with them).
        """
        cfg = self.config
        L, H = cfg.num_layers, cfg.hidden_size
        if isinstance(inputs, str):
            inputs = tokenize(inputs)
        if isinstance(inputs, np.ndarray):
            x = np.asarray(inputs, dtype=np.float64)
            if x.ndim != 2 or x.shape[1] != cfg.input_size:
                raise ValueError(f"input vectors must be (T, {cfg.input_size}), got {x.shape}")
            tokens = [f"x{t}" for t in range(x.shape[0])]
            unknown = np.zeros(x.shape[0], dtype=bool)
        else:
            tokens = list(inputs)
            ids, unknown = self.encode(tokens)
            x = self.embedding[ids] if len(ids) else np.zeros((0, cfg.input_size))
        T = x.shape[0]
        h0 = np.zeros((L, H)) if h0 is None else np.asarray(h0, dtype=np.float64)
        c0 = np.zeros((L, H)) if c0 is None else np.asarray(c0, dtype=np.float64)

        z = np.empty((L, T, 4 * H))
        gates = np.empty((L, T, 4 * H))                  # [f | i | g | o] after activation
        c, h = np.empty((L, T, H)), np.empty((L, T, H))
        scale, shift = gate_scale(H)
        clamp_masks = _clamp_masks(clamps, L, T, H)
        inp = x  # (T, D) input of the current layer
        for l, layer in enumerate(self.layers):
            # One step at a time, so a trace split over several calls is bit-identical.
            # Row t of hx1 is [h_{t-1}, x_t, 1], so z_t = [W | b] . hx1[t] is one product, and
            # h_t is written straight into row t + 1. The rows of [W | b] are multiplied by
            # `scale` (exact: 1/2 or 1), so the product is scale * z_t, and one tanh of it
            # gives all four gates (see gate_scale).
            Wb = np.concatenate([layer.W, layer.b[:, None]], axis=1)  # (4H, H + D + 1)
            Wb *= scale[:, None]  # in place: a new (4H, H + D + 1) array costs page faults
            hx1 = np.empty((T + 1, Wb.shape[1]))         # (T + 1, H + D + 1)
            hx1[0, :H] = h0[l]
            hx1[:T, H:-1] = inp
            hx1[:, -1] = 1.0
            use_einsum = EINSUM_MATVEC_SIZE is not None and Wb.size >= EINSUM_MATVEC_SIZE
            c_prev = c0[l]
            f_l, i_l, g_l, o_l = (gates[l, :, k * H:(k + 1) * H] for k in range(4))  # (T, H) views
            steps = zip(hx1, z[l], gates[l], f_l, i_l, g_l, o_l, c[l], hx1[1:, :H])  # row t: step t
            for t, (hx_t, z_t, a_t, f_t, i_t, g_t, o_t, c_t, h_t) in enumerate(steps):
                if use_einsum:
                    np.einsum("gk,k->g", Wb, hx_t, out=z_t)  # (4H,) scale * (W.[h_{t-1}, x_t] + b)
                else:
                    np.matmul(Wb, hx_t, out=z_t)
                np.tanh(z_t, out=a_t)
                a_t *= scale
                a_t += shift                             # f_t, i_t, g_t (C~), o_t: the gates
                if clamp_masks is not None:
                    _apply_clamps(clamp_masks, l, t, f_t, i_t, o_t)  # in place
                np.multiply(f_t, c_prev, out=c_t)
                c_t += i_t * g_t                         # memory cell
                np.tanh(c_t, out=h_t)
                h_t *= o_t                               # output
                if clamp_masks is not None and clamp_masks["zero"][l, t].any():
                    zero = clamp_masks["zero"][l, t]
                    c_t[zero] = 0.0
                    h_t[zero] = 0.0
                c_prev = c_t
            z[l] /= scale                                # (T, 4H) W.[h_{t-1}, x_t] + b, exactly
            h[l] = hx1[1:, :H]
            inp = h[l]                                   # (T, H) feeds the next layer
        f, i, g, o = (np.ascontiguousarray(gates[:, :, k * H:(k + 1) * H]) for k in range(4))
        logits = probs = None
        if self.head_W is not None:
            logits = h[-1] @ self.head_W.T + self.head_b  # (T, K)
            probs = softmax(logits) if T else np.zeros((0, len(self.head_b)))
        return Trace(tokens=tokens, unknown=unknown, x=x, f=f, i=i, g=g, o=o, c=c, h=h, z=z,
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

    # ---- backward (backprop through time) -----------------------------------
    def loss_and_grads(self, inputs, tags):
        """Mean per-token cross-entropy of the tags, and its gradients.

        inputs: as for trace() (text, tokens or (T, D) vectors); tags: T tag names or indices.
        Returns (loss, grads) with grads keyed and laid out like the model file, i.e. like a
        PyTorch state_dict (lstm.weight_ih_l0, ... in PyTorch's (i, f, g, o) row order), so they
        compare with torch autograd directly. pysim names: see backward().
        """
        if isinstance(inputs, str):
            inputs = tokenize(inputs)
        tr = self.trace(inputs)
        T = tr.T
        if T == 0:
            raise ValueError("cannot compute a loss over an empty sequence")
        y = self.tag_ids(tags, T)                            # (T,)
        logp = log_softmax(tr.logits)                        # (T, K)
        loss = -logp[np.arange(T), y].mean()
        dlogits = tr.probs.copy()                            # d(-log p_y)/dlogits = p - onehot(y)
        dlogits[np.arange(T), y] -= 1.0
        dlogits /= T                                         # mean over tokens
        ids = None if isinstance(inputs, np.ndarray) else self.encode(tr.tokens)[0]
        grads, _ = self.backward(tr, dlogits, ids)
        return float(loss), torch_names(grads, self.config.hidden_size, grads=True)

    def backward(self, tr: Trace, dlogits, ids=None):
        """Backprop through time, mirroring trace() line by line, from the top layer down.

        dlogits: (T, K) dL/dlogits. ids: (T,) token ids, for the embedding's gradient.
        Returns (grads, dc): grads keyed by pysim names (dembedding as "embedding", dW_l as
        "W_l", db_l as "b_l", "head_W", "head_b"), and dc (L, T, H) = dL/dC_t (the total
        derivative of the loss with respect to each memory cell).
        """
        if tr.clamps:
            raise ValueError("backward() is for unclamped traces")
        cfg = self.config
        L, H, T = cfg.num_layers, cfg.hidden_size, tr.T
        grads = {}
        grads["head_W"] = dlogits.T @ tr.h[-1]               # (K, H)   logits = h W^T + b
        grads["head_b"] = dlogits.sum(axis=0)                # (K,)
        dh_out = dlogits @ self.head_W                       # (T, H) dL/dh_t via the head
        dc_all = np.zeros((L, T, H))
        for l in reversed(range(L)):
            layer = self.layers[l]
            W_h, W_x = layer.W[:, :H], layer.W[:, H:]        # (4H, H), (4H, D)
            inp = tr.x if l == 0 else tr.h[l - 1]            # (T, D) this layer's input
            h_prev = np.concatenate([tr.h0[l][None], tr.h[l, :-1]])  # (T, H) h_{t-1}
            c_prev = np.concatenate([tr.c0[l][None], tr.c[l, :-1]])  # (T, H) C_{t-1}
            dz = np.zeros((T, 4 * H))                        # (T, 4H) dL/dz [f | i | g | o]
            dh_next = np.zeros(H)                            # dL/dh_t through step t+1
            dc_next = np.zeros(H)                            # dL/dC_t through step t+1
            for t in reversed(range(T)):
                f_t, i_t, g_t, o_t = tr.f[l, t], tr.i[l, t], tr.g[l, t], tr.o[l, t]
                tanh_c = np.tanh(tr.c[l, t])
                dh = dh_out[t] + dh_next                     # h_t feeds the output and step t+1
                do = dh * tanh_c                             # h_t = o_t * tanh(C_t)
                dc = dc_next + dh * o_t * (1.0 - tanh_c ** 2)
                df = dc * c_prev[t]                          # C_t = f_t * C_{t-1} + i_t * g_t
                di = dc * g_t
                dg = dc * i_t
                dc_next = dc * f_t
                dz[t, 0 * H:1 * H] = df * f_t * (1.0 - f_t)  # forget gate: sigma' = s (1 - s)
                dz[t, 1 * H:2 * H] = di * i_t * (1.0 - i_t)  # input gate
                dz[t, 2 * H:3 * H] = dg * (1.0 - g_t ** 2)   # candidate: tanh' = 1 - tanh^2
                dz[t, 3 * H:4 * H] = do * o_t * (1.0 - o_t)  # output gate
                dh_next = W_h.T @ dz[t]                      # z_t = W_h h_{t-1} + W_x x_t + b
                dc_all[l, t] = dc
            grads[f"W_{l}"] = dz.T @ np.concatenate([h_prev, inp], axis=1)  # (4H, H + D)
            grads[f"b_{l}"] = dz.sum(axis=0)                 # (4H,)
            dh_out = dz @ W_x                                # (T, D) dL/d(input) = dL/dh of layer below
        if self.embedding is not None and ids is not None:
            dembedding = np.zeros_like(self.embedding)       # (V, D)
            np.add.at(dembedding, ids, dh_out)               # x_t = embedding[id_t]
            grads["embedding"] = dembedding
        return grads, dc_all


def log_softmax(z):  # (T, K) -> (T, K)
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def swap_fi(a, H: int):
    """Swap the first two row blocks: pysim's (f, i, g, o) <-> PyTorch/Keras (i, f, g, o).

    Its own inverse. Works on (4H, ...) arrays and (4H,) vectors.
    """
    return np.concatenate([a[H:2 * H], a[0:H], a[2 * H:]], axis=0)


def torch_names(arrays: dict, H: int, grads: bool = False) -> dict:
    """pysim-named arrays -> PyTorch state_dict names and layout (float64 numpy arrays).

    W_l (4H, H + D) [f; i; g; o] becomes lstm.weight_hh_l{l} (4H, H) and lstm.weight_ih_l{l}
    (4H, D), rows in (i, f, g, o). pysim keeps one bias b = bias_ih + bias_hh: parameters are
    written as bias_ih = b, bias_hh = 0; gradients as bias_ih = bias_hh = db (both get dL/db).
    """
    out = {}
    if arrays.get("embedding") is not None:
        out["embedding.weight"] = arrays["embedding"]
    l = 0
    while f"W_{l}" in arrays:
        W, b = arrays[f"W_{l}"], arrays[f"b_{l}"]
        out[f"lstm.weight_ih_l{l}"] = swap_fi(W[:, H:], H)
        out[f"lstm.weight_hh_l{l}"] = swap_fi(W[:, :H], H)
        out[f"lstm.bias_ih_l{l}"] = swap_fi(b, H)
        out[f"lstm.bias_hh_l{l}"] = swap_fi(b, H) if grads else np.zeros_like(b)
        l += 1
    if arrays.get("head_W") is not None:
        out["head.weight"] = arrays["head_W"]
        out["head.bias"] = arrays["head_b"]
    return out


def gradient_flow(model: Model, inputs, target=None):
    """How far back the loss of the LAST step reaches: ||dL_T/dC_t|| for t = 0..T-1.

    L_T = -log p_T(target) at the last step only (target: tag name or index; default the
    model's own prediction at the last step). Returns (L, T) norms, one row per layer.
    Compare with rnn.gradient_flow (a plain tanh RNN of the same size on the same inputs).
    """
    if isinstance(inputs, str):
        inputs = tokenize(inputs)
    tr = model.trace(inputs)
    T = tr.T
    if T == 0:
        raise ValueError("cannot compute a gradient over an empty sequence")
    if model.head_W is None:
        raise ValueError("this model has no softmax head, so it has no loss")
    y = int(np.argmax(tr.probs[-1])) if target is None else int(model.tag_ids([target], 1)[0])
    dlogits = np.zeros_like(tr.probs)                        # (T, K) zero: no loss before T
    dlogits[-1] = tr.probs[-1]
    dlogits[-1, y] -= 1.0
    _, dc = model.backward(tr, dlogits)
    return np.linalg.norm(dc, axis=-1)                       # (L, T)


def _clamp_masks(clamps, L, T, H):
    """Turn a list of clamps into per-gate (L, T, H) masks and values; None when no clamps."""
    if not clamps:
        return None
    masks = {k: np.zeros((L, T, H), dtype=bool) for k in ("f", "i", "o", "zero")}
    values = {k: np.zeros((L, T, H)) for k in ("f", "i", "o")}
    for cl in clamps:
        if not 0 <= cl.layer < L:
            raise ValueError(f"clamp layer {cl.layer} does not exist (the model has {L})")
        if cl.unit is not None and not 0 <= cl.unit < H:
            raise ValueError(f"clamp unit {cl.unit} does not exist (layers have {H} units)")
        sel = (slice(cl.layer, cl.layer + 1), slice(cl.t0, cl.t1 + 1),
               slice(None) if cl.unit is None else slice(cl.unit, cl.unit + 1))
        masks[cl.gate][sel] = True
        if cl.gate != "zero":
            values[cl.gate][sel] = cl.value
    masks["values"] = values
    return masks


def _apply_clamps(m, l, t, f_t, i_t, o_t):
    """Overwrite the clamped units of step t's gates, in place."""
    for name, gate in (("f", f_t), ("i", i_t), ("o", o_t)):
        np.copyto(gate, m["values"][name][l, t], where=m[name][l, t])
