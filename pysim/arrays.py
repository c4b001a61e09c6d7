"""pysim-named arrays -> a Model, checking everything (the names: pysim.io's docstring).

from_arrays is the last step of every load: the PyTorch and Keras readers rename a file's
arrays to pysim's names first (pysim.torchnames, pysim.keras) and pass {pysim name: file name}
as `origin`, so every message names the array as the file has it.
"""
from __future__ import annotations

import json
import re

import numpy as np

from .model import Config, Layer, Model
from .npzfile import ModelFileError
from .torchnames import swap_fi
from .words import read_vocab

MAX_LAYERS = 16
MAX_HIDDEN = 4096
MAX_INPUT = 4096
MAX_VOCAB = 500_000
MAX_TAGS = 10_000
MAX_META_CHARS = 4 << 20

# a layer number as PyTorch writes it: no leading zero ("_l00" would pass as layer 0 and then
# not be found under its own name)
_LAYER_KEY = re.compile(r"^lstm\.(weight_ih|weight_hh|bias_ih|bias_hh)_l(0|[1-9]\d*)$")
_FIXED_KEYS = ("embedding.weight", "head.weight", "head.bias", "meta")

# ---- checking and building ------------------------------------------------------------------

def _float(arrays: dict, name: str, shape: tuple, origin: dict) -> np.ndarray:
    a, shown = arrays[name], origin.get(name, name)
    if a.dtype.kind != "f":
        raise ModelFileError(f"array {shown!r}: dtype {a.dtype}, expected floating point")
    if a.shape != shape:
        raise ModelFileError(f"array {shown!r}: shape {a.shape}, expected {shape}")
    with np.errstate(over="ignore", invalid="ignore"):  # float128 overflow, signalling NaN
        a = np.array(a, dtype=np.float64, order="C")  # C layout: same BLAS path as a saved model
    if not np.all(np.isfinite(a)):  # (the inf / NaN those casts make are refused here)
        raise ModelFileError(f"array {shown!r}: contains NaN or infinity")
    return a


def _rows(arrays, name, rows, cols, limit, what, origin) -> np.ndarray:
    """A (n, cols) float matrix whose row count n (e.g. the vocabulary size) comes from the file."""
    a, shown = arrays[name], origin.get(name, name)
    if a.ndim != 2:
        raise ModelFileError(f"array {shown!r}: shape {a.shape}, expected ({rows}, {cols})")
    if not 1 <= a.shape[0] <= limit:
        raise ModelFileError(f"array {shown!r}: {what} {a.shape[0]} is out of range 1..{limit}")
    return _float(arrays, name, (a.shape[0], cols), origin)


def _meta(arrays: dict) -> dict:
    if "meta" not in arrays:
        return {}
    a = arrays["meta"]
    if a.shape != () or a.dtype.kind not in "US":
        raise ModelFileError(f"array 'meta': expected one JSON string, got {a.dtype} {a.shape}")
    if a.dtype.kind == "U":  # numpy makes a str of any code points: beyond U+10FFFF json fails
        codes = np.frombuffer(a.astype(a.dtype.newbyteorder("=")).tobytes(), dtype=np.uint32)
        if codes.size and int(codes.max()) > 0x10FFFF:
            raise ModelFileError("array 'meta': not Unicode text")
    try:
        text = a.item()
        if isinstance(text, bytes):
            text = text.decode("utf-8")
    except (UnicodeDecodeError, ValueError, SystemError):
        raise ModelFileError("array 'meta': not UTF-8 text") from None
    if len(text) > MAX_META_CHARS:
        raise ModelFileError("array 'meta': too long")
    try:
        meta = json.loads(text)
    except (ValueError, RecursionError) as e:
        raise ModelFileError(f"array 'meta': not valid JSON ({str(e)[:200]})") from None
    if not isinstance(meta, dict):
        raise ModelFileError("array 'meta': the JSON must be an object")
    try:  # a lone surrogate ("\ud800") is no text the CLI can print or the page show
        json.dumps(meta, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ModelFileError("array 'meta': holds a lone surrogate (\\ud800-\\udfff), not text") \
            from None
    except RecursionError:
        raise ModelFileError("array 'meta': nested too deeply") from None
    for key in ("examples",):
        value = meta.get(key)
        if value is not None and not (isinstance(value, list)
                                      and all(isinstance(s, str) for s in value)):
            raise ModelFileError(f"array 'meta': {key!r} must be a list of strings")
    if meta.get("unk") is not None and not isinstance(meta["unk"], str):
        raise ModelFileError("array 'meta': 'unk' must be a string (the unknown-word token)")
    return meta


def _names(meta: dict, key: str, n: int, what: str, given=None):
    names = given if given is not None else meta.get(key)
    if names is None:
        return None
    source = f"the {key} given" if given is not None else f"array 'meta': {key!r}"
    if (not isinstance(names, (list, tuple)) or len(names) != n
            or not all(isinstance(w, str) for w in names)):
        got = f" (it has {len(names)})" if isinstance(names, (list, tuple)) else ""
        raise ModelFileError(f"{source} must be a list of {n} strings, one per {what}{got}")
    if len(set(names)) != len(names):
        dup = next(w for k, w in enumerate(names) if w in names[:k])
        raise ModelFileError(f"{source} has duplicates ({dup!r})")
    return list(names)


def _needs_vocab(name: str, V: int) -> ModelFileError:
    return ModelFileError(
        f"array {name!r}: the model reads words (an embedding of {V} rows) but the file has no "
        "vocabulary. Give one word per embedding row: in the file's meta ({\"vocab\": [...]}), "
        "or as a vocabulary file (one word per line, or a JSON list): load(path, vocab=...), "
        "the command line's --vocab FILE, or the page's vocabulary file")


def from_arrays(arrays: dict, vocab=None, tags=None, origin=None) -> Model:
    """Build a Model from pysim-named arrays, checking everything. origin: {pysim name: the
    file's name} for messages; vocab: a list or a vocabulary file (read_vocab)."""
    origin = origin or {}
    arrays = {k: np.asarray(v) for k, v in arrays.items()}
    if not any(k.startswith("lstm.") for k in arrays):  # a bare nn.LSTM state_dict
        arrays = {("lstm." + k if re.match(r"^(weight|bias)_(ih|hh)_l\d+$", k) else k): v
                  for k, v in arrays.items()}
    layer_keys = {}
    for k in arrays:
        m = _LAYER_KEY.match(k)
        if m:
            layer_keys.setdefault(int(m.group(2)), set()).add(m.group(1))
        elif k not in _FIXED_KEYS:
            hint = " (bidirectional / proj_size LSTMs are not supported)" if "lstm." in k else ""
            raise ModelFileError(f"array {origin.get(k, k)!r}: not a pysim model array{hint}")
    if not layer_keys:
        raise ModelFileError("array 'lstm.weight_ih_l0': missing (no LSTM weights in the file)")
    L = len(layer_keys)
    if L > MAX_LAYERS:
        raise ModelFileError(f"array 'lstm.weight_ih_l{L - 1}': {L} layers, more than {MAX_LAYERS}")
    for k in range(L):
        have = layer_keys.get(k)
        if have is None:
            raise ModelFileError(f"array 'lstm.weight_ih_l{k}': missing (layers must be 0..{L - 1})")
        for w in ("weight_ih", "weight_hh"):
            if w not in have:
                raise ModelFileError(f"array 'lstm.{w}_l{k}': missing")
        if ("bias_ih" in have) != ("bias_hh" in have):
            missing = "bias_hh" if "bias_ih" in have else "bias_ih"
            raise ModelFileError(f"array 'lstm.{missing}_l{k}': missing (give both biases or neither)")
    for k in arrays:  # everything must be numeric except meta
        if k != "meta" and arrays[k].dtype.kind != "f":
            raise ModelFileError(f"array {origin.get(k, k)!r}: dtype {arrays[k].dtype}, "
                                 "expected floating point")

    name = "lstm.weight_hh_l0"
    whh = arrays[name]
    if whh.ndim != 2 or whh.shape[0] != 4 * whh.shape[1] or not 1 <= whh.shape[1] <= MAX_HIDDEN:
        raise ModelFileError(f"array {origin.get(name, name)!r}: shape {whh.shape}, expected "
                             f"(4H, H) with H in 1..{MAX_HIDDEN}")
    H = whh.shape[1]
    name = "lstm.weight_ih_l0"
    wih = arrays[name]
    if wih.ndim != 2 or not 1 <= wih.shape[1] <= MAX_INPUT:
        raise ModelFileError(f"array {origin.get(name, name)!r}: shape {wih.shape}, expected "
                             f"(4H, input) with input in 1..{MAX_INPUT}")
    D = wih.shape[1]

    layers = []
    for k in range(L):
        d_in = D if k == 0 else H
        W_ih = _float(arrays, f"lstm.weight_ih_l{k}", (4 * H, d_in), origin)
        W_hh = _float(arrays, f"lstm.weight_hh_l{k}", (4 * H, H), origin)
        if f"lstm.bias_ih_l{k}" in arrays:
            with np.errstate(over="ignore"):  # two finite halves may overflow: refused below
                b = (_float(arrays, f"lstm.bias_ih_l{k}", (4 * H,), origin)
                     + _float(arrays, f"lstm.bias_hh_l{k}", (4 * H,), origin))
            if not np.all(np.isfinite(b)):
                shown = origin.get(f"lstm.bias_hh_l{k}", f"lstm.bias_hh_l{k}")
                raise ModelFileError(f"array {shown!r}: bias_ih + bias_hh overflows float64")
        else:
            b = np.zeros(4 * H)
        W = np.concatenate([swap_fi(W_hh, H), swap_fi(W_ih, H)], axis=1)  # (4H, H + D) [h | x]
        layers.append(Layer(W=W, b=swap_fi(b, H)))

    embedding = None
    if "embedding.weight" in arrays:
        embedding = _rows(arrays, "embedding.weight", "V", D, MAX_VOCAB, "vocabulary size", origin)
    head_W = head_b = None
    if "head.weight" in arrays:
        head_W = _rows(arrays, "head.weight", "K", H, MAX_TAGS, "number of tags", origin)
        K = head_W.shape[0]
        head_b = _float(arrays, "head.bias", (K,), origin) if "head.bias" in arrays else np.zeros(K)
    elif "head.bias" in arrays:
        raise ModelFileError(f"array {origin.get('head.bias', 'head.bias')!r}: there is no "
                             "head weight for it")

    meta = _meta(arrays)
    if vocab is not None and not isinstance(vocab, (list, tuple)):
        vocab = read_vocab(vocab)
    vocab_list = unk = None
    if embedding is not None:
        vocab_list = _names(meta, "vocab", embedding.shape[0], "embedding row", vocab)
        if vocab_list is None:
            raise _needs_vocab(origin.get("embedding.weight", "embedding.weight"),
                               embedding.shape[0])
        unk = meta.get("unk")
        if unk is not None and unk not in vocab_list:
            raise ModelFileError(f"array 'meta': 'unk' is {unk!r}, which is not in the vocabulary")
    elif vocab is not None or meta.get("vocab") is not None:
        raise ModelFileError("the model has no embedding (it reads vectors), but a vocabulary "
                             "was given")
    tag_list = None
    if head_W is not None:
        tag_list = _names(meta, "tags", head_W.shape[0], "head row", tags)
        if tag_list is None:
            tag_list = [f"tag{k}" for k in range(head_W.shape[0])]
    meta = {k: v for k, v in meta.items() if k not in ("vocab", "tags", "unk", "note")}
    cfg = Config(input_size=D, hidden_size=H, num_layers=L, vocab=vocab_list, tags=tag_list,
                 unk=unk)
    return Model(cfg, layers, embedding, head_W, head_b, meta)
