"""The model file: one .npz whose arrays carry PyTorch state_dict names.

    embedding.weight      (V, E)    optional: the model reads words (nn.Embedding)
    lstm.weight_ih_l{k}   (4H, in)  in = E for k = 0, H above; rows in PyTorch's (i, f, g, o)
    lstm.weight_hh_l{k}   (4H, H)
    lstm.bias_ih_l{k}     (4H,)     optional (both or neither, as nn.LSTM(bias=False))
    lstm.bias_hh_l{k}     (4H,)
    head.weight           (K, H)    optional: softmax over K tags (nn.Linear)
    head.bias             (K,)      optional
    meta                  0-d str   optional JSON: {"vocab": [...], "tags": [...], "description",
                                    "training": {...}, ...}

So `module.load_state_dict({k: torch.from_numpy(v) for k, v in npz.items() if k != "meta"})`
works for a torch module with submodules `embedding`, `lstm`, `head`. A torch state_dict saved
with numpy.savez (no meta; bare nn.LSTM keys `weight_ih_l0` ... also accepted) loads too.

pysim keeps the article's gate order (f, i, g, o) and ONE bias per layer, b = bias_ih + bias_hh.
Saving writes bias_ih = b and bias_hh = 0: pysim -> file -> pysim is exact; a torch file loaded
and saved again computes the same outputs (up to float rounding) but its bias split is gone.

Loading trusts nothing: the zip directory's sizes are checked before anything is inflated, each
.npy header is parsed and checked before its data is read, every array is checked for name,
shape, dtype and finiteness, and the Model is built only when all of it passed. Any problem
raises ModelFileError (a ValueError) naming the offending array.
"""
from __future__ import annotations

import io as _io
import json
import os
import re
import zipfile

import numpy as np

from .model import Config, Layer, Model, swap_fi, torch_names

MAX_FILE_BYTES = 64 << 20          # the .npz as stored
MAX_ARRAY_BYTES = 64 << 20         # one array, uncompressed
MAX_TOTAL_BYTES = 128 << 20        # all arrays, uncompressed
MAX_MEMBERS = 256
MAX_LAYERS = 16
MAX_HIDDEN = 4096
MAX_INPUT = 4096
MAX_VOCAB = 500_000
MAX_TAGS = 10_000
MAX_META_CHARS = 4 << 20

_LAYER_KEY = re.compile(r"^lstm\.(weight_ih|weight_hh|bias_ih|bias_hh)_l(\d+)$")
_FIXED_KEYS = ("embedding.weight", "head.weight", "head.bias", "meta")


class ModelFileError(ValueError):
    """The model file is not one pysim can load; the message says which array and why."""


# ---- saving ----------------------------------------------------------------------------------

def state_dict(model: Model) -> dict:
    """The model's arrays under PyTorch names (float64 numpy), without meta."""
    return {k: np.ascontiguousarray(v, dtype=np.float64)
            for k, v in torch_names(model.parameters(), model.config.hidden_size).items()}


def model_meta(model: Model) -> dict:
    meta = dict(model.meta)
    if model.config.vocab is not None:
        meta["vocab"] = list(model.config.vocab)
    if model.config.tags is not None:
        meta["tags"] = list(model.config.tags)
    return meta


def to_bytes(model: Model) -> bytes:
    """The model file as bytes (for a download)."""
    arrays = state_dict(model)
    arrays["meta"] = np.array(json.dumps(model_meta(model), ensure_ascii=False, sort_keys=True))
    buf = _io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def save(model: Model, path) -> None:
    """Write the model file to a path (str or os.PathLike) or a binary file object."""
    data = to_bytes(model)
    if hasattr(path, "write"):
        path.write(data)
        return
    with open(os.fspath(path), "wb") as fh:
        fh.write(data)


# ---- reading the zip safely ----------------------------------------------------------------

def _read_source(source) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif hasattr(source, "read"):
        data = source.read(MAX_FILE_BYTES + 1)
        if not isinstance(data, (bytes, bytearray)):
            raise ModelFileError("the model file must be opened in binary mode")
        data = bytes(data)
    elif isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        try:
            size = os.path.getsize(path)
            if size > MAX_FILE_BYTES:
                raise ModelFileError(f"{path}: {size} bytes is too large for a model file "
                                     f"(limit {MAX_FILE_BYTES})")
            with open(path, "rb") as fh:
                data = fh.read(MAX_FILE_BYTES + 1)
        except OSError as e:
            raise ModelFileError(f"cannot read {path}: {e.strerror or e}") from None
    else:
        raise ModelFileError(f"expected a path, bytes or a binary file, got {type(source).__name__}")
    if len(data) > MAX_FILE_BYTES:
        raise ModelFileError(f"the model file is too large (over {MAX_FILE_BYTES} bytes)")
    return data


def _parse_npy(name: str, raw: bytes) -> np.ndarray:
    """One .npy member -> array, checking the header before trusting any size in it."""
    f = _io.BytesIO(raw)
    try:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
        else:
            raise ValueError(f"npy version {version}")
    except Exception as e:  # numpy raises ValueError / SyntaxError / ... on broken headers
        raise ModelFileError(f"array {name!r}: not a valid .npy array ({e})") from None
    if dtype.hasobject:
        raise ModelFileError(f"array {name!r}: holds Python objects (pickles are never loaded)")
    if dtype.kind not in "fiuUSb" or dtype.fields is not None or dtype.subdtype is not None:
        raise ModelFileError(f"array {name!r}: unsupported dtype {dtype}")
    if len(shape) > 4 or any(int(n) < 0 for n in shape):
        raise ModelFileError(f"array {name!r}: unsupported shape {shape}")
    count = 1
    for n in shape:
        count *= int(n)
    nbytes = count * dtype.itemsize
    if nbytes > MAX_ARRAY_BYTES:
        raise ModelFileError(f"array {name!r}: declares {shape} ({nbytes} bytes), too large")
    data = raw[f.tell():]
    if len(data) != nbytes:
        raise ModelFileError(f"array {name!r}: header says {shape} {dtype} ({nbytes} bytes) "
                             f"but the data has {len(data)} bytes")
    arr = np.frombuffer(data, dtype=dtype, count=count)
    return arr.reshape(shape, order="F" if fortran else "C").copy()


def read_npz(source) -> dict:
    """All arrays of an .npz (path, bytes or binary file), read defensively."""
    data = _read_source(source)
    if not data.startswith(b"PK"):
        raise ModelFileError("not a model file: a model file is a .npz (zip) archive")
    try:
        zf = zipfile.ZipFile(_io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as e:
        raise ModelFileError(f"not a model file: broken .npz archive ({e})") from None
    if len(infos) > MAX_MEMBERS:
        raise ModelFileError(f"the archive has {len(infos)} members, too many for a model file")
    total = 0
    for info in infos:  # the directory's sizes, before anything is inflated
        name = info.filename
        if not name.endswith(".npy"):
            raise ModelFileError(f"array {name!r}: not a .npy member")
        if info.file_size > MAX_ARRAY_BYTES + 4096:
            raise ModelFileError(f"array {name[:-4]!r}: {info.file_size} bytes uncompressed, "
                                 "too large")
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise ModelFileError("the arrays add up to more than "
                                 f"{MAX_TOTAL_BYTES} bytes uncompressed, too large")
    arrays = {}
    for info in infos:
        name = info.filename[:-4]
        if name in arrays:
            raise ModelFileError(f"array {name!r}: appears twice")
        try:
            with zf.open(info) as fh:
                raw = fh.read(info.file_size + 1)  # zipfile stops at the declared size
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError,
                NotImplementedError) as e:
            raise ModelFileError(f"array {name!r}: cannot be read ({e})") from None
        if len(raw) != info.file_size:
            raise ModelFileError(f"array {name!r}: size does not match the archive directory")
        arrays[name] = _parse_npy(name, raw)
    return arrays


# ---- checking and building ------------------------------------------------------------------

def _float(arrays: dict, name: str, shape: tuple) -> np.ndarray:
    a = arrays[name]
    if a.dtype.kind != "f":
        raise ModelFileError(f"array {name!r}: dtype {a.dtype}, expected floating point")
    if a.shape != shape:
        raise ModelFileError(f"array {name!r}: shape {a.shape}, expected {shape}")
    a = np.array(a, dtype=np.float64, order="C")  # C layout: same BLAS path as a saved model
    if not np.all(np.isfinite(a)):
        raise ModelFileError(f"array {name!r}: contains NaN or infinity")
    return a


def _dim(name: str, n: int, limit: int, what: str) -> int:
    if not 1 <= n <= limit:
        raise ModelFileError(f"array {name!r}: {what} {n} is out of range 1..{limit}")
    return n


def _rows(arrays: dict, name: str, rows: str, cols: int, limit: int, what: str) -> np.ndarray:
    """A (n, cols) float matrix whose row count n (e.g. the vocabulary size) comes from the file."""
    a = arrays[name]
    if a.ndim != 2:
        raise ModelFileError(f"array '{name}': shape {a.shape}, expected ({rows}, {cols})")
    n = _dim(name, a.shape[0], limit, what)
    return _float(arrays, name, (n, cols))


def _meta(arrays: dict) -> dict:
    if "meta" not in arrays:
        return {}
    a = arrays["meta"]
    if a.shape != () or a.dtype.kind not in "US":
        raise ModelFileError(f"array 'meta': expected one JSON string, got {a.dtype} {a.shape}")
    text = a.item()
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise ModelFileError("array 'meta': not UTF-8 text") from None
    if len(text) > MAX_META_CHARS:
        raise ModelFileError("array 'meta': too long")
    try:
        meta = json.loads(text)
    except ValueError as e:
        raise ModelFileError(f"array 'meta': not valid JSON ({e})") from None
    if not isinstance(meta, dict):
        raise ModelFileError("array 'meta': the JSON must be an object")
    return meta


def _names(meta: dict, key: str, n: int, what: str, given=None):
    names = given if given is not None else meta.get(key)
    if names is None:
        return None
    if (not isinstance(names, (list, tuple)) or len(names) != n
            or not all(isinstance(w, str) for w in names)):
        raise ModelFileError(f"array 'meta': {key!r} must be a list of {n} strings "
                             f"(one per {what})")
    if len(set(names)) != len(names):
        raise ModelFileError(f"array 'meta': {key!r} has duplicates")
    return list(names)


def from_arrays(arrays: dict, vocab=None, tags=None) -> Model:
    """Build a Model from PyTorch-named arrays (the .npz content), checking everything."""
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
            raise ModelFileError(f"array {k!r}: not a pysim model array{hint}")
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
        if k != "meta" and np.asarray(arrays[k]).dtype.kind != "f":
            raise ModelFileError(f"array {k!r}: dtype {arrays[k].dtype}, expected floating point")

    whh = arrays["lstm.weight_hh_l0"]
    if whh.ndim != 2 or whh.shape[0] % 4 or whh.shape[0] != 4 * whh.shape[1]:
        raise ModelFileError(f"array 'lstm.weight_hh_l0': shape {whh.shape}, expected (4H, H)")
    H = _dim("lstm.weight_hh_l0", whh.shape[1], MAX_HIDDEN, "hidden size")
    wih = arrays["lstm.weight_ih_l0"]
    if wih.ndim != 2:
        raise ModelFileError(f"array 'lstm.weight_ih_l0': shape {wih.shape}, expected (4H, input)")
    D = _dim("lstm.weight_ih_l0", wih.shape[1], MAX_INPUT, "input size")

    layers = []
    for k in range(L):
        d_in = D if k == 0 else H
        W_ih = _float(arrays, f"lstm.weight_ih_l{k}", (4 * H, d_in))
        W_hh = _float(arrays, f"lstm.weight_hh_l{k}", (4 * H, H))
        if f"lstm.bias_ih_l{k}" in arrays:
            b = (_float(arrays, f"lstm.bias_ih_l{k}", (4 * H,))
                 + _float(arrays, f"lstm.bias_hh_l{k}", (4 * H,)))
        else:
            b = np.zeros(4 * H)
        W = np.concatenate([swap_fi(W_hh, H), swap_fi(W_ih, H)], axis=1)  # (4H, H + D) [h | x]
        layers.append(Layer(W=W, b=swap_fi(b, H)))

    embedding = None
    if "embedding.weight" in arrays:
        embedding = _rows(arrays, "embedding.weight", "V", D, MAX_VOCAB, "vocabulary size")
    head_W = head_b = None
    if "head.weight" in arrays:
        head_W = _rows(arrays, "head.weight", "K", H, MAX_TAGS, "number of tags")
        K = head_W.shape[0]
        head_b = _float(arrays, "head.bias", (K,)) if "head.bias" in arrays else np.zeros(K)
    elif "head.bias" in arrays:
        raise ModelFileError("array 'head.bias': there is no 'head.weight' for it")

    meta = _meta(arrays)
    vocab_list = None
    if embedding is not None:
        vocab_list = _names(meta, "vocab", embedding.shape[0], "embedding row", vocab)
    elif vocab is not None or meta.get("vocab") is not None:
        raise ModelFileError("array 'embedding.weight': missing, but a vocabulary was given")
    tag_list = None
    if head_W is not None:
        tag_list = _names(meta, "tags", head_W.shape[0], "head row", tags)
        if tag_list is None:
            tag_list = [f"tag{k}" for k in range(head_W.shape[0])]
    meta = {k: v for k, v in meta.items() if k not in ("vocab", "tags")}
    if embedding is not None and vocab_list is None:
        meta.setdefault("note", "no vocabulary in the file: the model reads vectors")
    cfg = Config(input_size=D, hidden_size=H, num_layers=L, vocab=vocab_list, tags=tag_list)
    return Model(cfg, layers, embedding, head_W, head_b, meta)


def load(source, vocab=None, tags=None) -> Model:
    """Load a model file from a path, bytes or a binary file object.

    vocab / tags: give them when the file has none (e.g. a plain torch state_dict); they must
    match the embedding's and the head's rows. Raises ModelFileError.
    """
    return from_arrays(read_npz(source), vocab=vocab, tags=tags)


# ---- Keras ---------------------------------------------------------------------------------

def load_keras(layers, embedding=None, dense=None, vocab=None, tags=None, meta=None) -> Model:
    """A Model from Keras weights (tf.keras LSTM with the default sigmoid/tanh activations).

    layers: one entry per stacked LSTM layer, each `lstm_layer.get_weights()`:
            [kernel (in, 4H), recurrent_kernel (H, 4H), bias (4H,)] (bias absent if use_bias=False),
            gate columns in Keras order (i, f, c, o).
    embedding: Embedding weights (V, E) or None. dense: [kernel (H, K), bias (K,)] or None.
    """
    arrays = {}
    for k, weights in enumerate(layers):
        weights = [np.asarray(w) for w in weights]
        if len(weights) not in (2, 3):
            raise ModelFileError(f"keras layer {k}: expected [kernel, recurrent_kernel, bias]")
        for w, what in zip(weights, ("kernel", "recurrent_kernel", "bias")):
            if w.ndim != (1 if what == "bias" else 2):
                raise ModelFileError(f"keras layer {k}: {what} has shape {w.shape}")
        arrays[f"lstm.weight_ih_l{k}"] = weights[0].T        # (4H, in), rows (i, f, g, o)
        arrays[f"lstm.weight_hh_l{k}"] = weights[1].T        # (4H, H)
        if len(weights) == 3:
            arrays[f"lstm.bias_ih_l{k}"] = weights[2]
            arrays[f"lstm.bias_hh_l{k}"] = np.zeros_like(weights[2])
    if embedding is not None:
        arrays["embedding.weight"] = np.asarray(embedding)
    if dense is not None:
        dense = [np.asarray(w) for w in dense]
        if dense[0].ndim != 2:
            raise ModelFileError(f"keras dense: kernel has shape {dense[0].shape}")
        arrays["head.weight"] = dense[0].T                   # (K, H)
        if len(dense) > 1:
            arrays["head.bias"] = dense[1]
    if meta:
        arrays["meta"] = np.array(json.dumps(meta))
    model = from_arrays(arrays, vocab=vocab, tags=tags)
    model.meta.setdefault("source", "keras")
    return model


# ---- any model file: pysim / PyTorch names or Keras names ----------------------------------
#
# A Keras model is accepted as an .npz of its weights under Keras names, one array per weight:
#
#     [<layer>/][<cell>/]<weight>[:0]      e.g. "lstm/kernel:0", "lstm_1/lstm_cell/bias:0",
#                                          "embedding/embeddings:0", "dense/kernel:0"
#     weight: kernel (in, 4H), recurrent_kernel (H, 4H), bias (4H,) for an LSTM layer (gate
#             columns in Keras order i, f, c, o); embeddings (V, E); kernel (H, K) and bias (K,)
#             for the Dense softmax head.
#     layer:  a name with "embedding" in it is the embedding, one with "dense" the head; every
#             other layer holding a recurrent_kernel is an LSTM layer. LSTM layers stack in
#             Keras's naming order: lstm, lstm_1, lstm_2, ... (the number after the last "_").
#
# Or the flat names of a single-layer model: kernel, recurrent_kernel, bias, embeddings,
# dense_kernel, dense_bias. Either way an optional "meta" array (JSON, as in a pysim file)
# gives the vocabulary and the tags. A file is read as Keras when any array name ends in
# "kernel", "bias" or "embeddings" (after dropping ":0") without a PyTorch prefix; PyTorch
# names ("lstm.weight_ih_l0", ...) never do.

_KERAS_WEIGHTS = ("kernel", "recurrent_kernel", "bias", "embeddings")
_KERAS_FLAT = {"kernel": ("lstm", "kernel"), "recurrent_kernel": ("lstm", "recurrent_kernel"),
               "bias": ("lstm", "bias"), "embeddings": ("embedding", "embeddings"),
               "dense_kernel": ("dense", "kernel"), "dense_bias": ("dense", "bias")}


def _keras_key(name: str):
    """A Keras array name -> (layer, weight), or None when it is not one."""
    base = name[:-2] if name.endswith(":0") else name
    if base in _KERAS_FLAT:
        return _KERAS_FLAT[base]
    parts = base.split("/")
    if len(parts) >= 2 and parts[-1] in _KERAS_WEIGHTS and all(parts):
        return parts[0], parts[-1]
    return None


def is_keras(arrays: dict) -> bool:
    """True when the arrays carry Keras weight names (see above)."""
    return any(_keras_key(k) is not None for k in arrays if k != "meta")


def _keras_order(layer: str):
    m = re.search(r"_(\d+)$", layer)
    return (int(m.group(1)) if m else 0, layer)


def from_keras_arrays(arrays: dict) -> Model:
    """Build a Model from Keras-named arrays (the convention above), checking everything."""
    groups: dict = {}
    for name, a in arrays.items():
        if name == "meta":
            continue
        key = _keras_key(name)
        if key is None:
            raise ModelFileError(f"array {name!r}: not a Keras weight name (expected "
                                 "<layer>/kernel:0, <layer>/recurrent_kernel:0, <layer>/bias:0, "
                                 "<layer>/embeddings:0, or kernel, recurrent_kernel, bias, "
                                 "embeddings, dense_kernel, dense_bias)")
        layer, weight = key
        if weight in groups.setdefault(layer, {}):
            raise ModelFileError(f"array {name!r}: a second {weight} for Keras layer {layer!r}")
        groups[layer][weight] = (name, a)
    embedding = dense = None
    lstm = []
    for layer, weights in groups.items():
        names = ", ".join(repr(n) for n, _ in weights.values())
        if "embedding" in layer.lower():
            if set(weights) != {"embeddings"}:
                raise ModelFileError(f"arrays {names}: an Embedding layer has only 'embeddings'")
            embedding = weights["embeddings"][1]
        elif "dense" in layer.lower():
            if "kernel" not in weights or set(weights) - {"kernel", "bias"}:
                raise ModelFileError(f"arrays {names}: a Dense head has a kernel and a bias")
            dense = [weights["kernel"][1]] + ([weights["bias"][1]] if "bias" in weights else [])
        elif "recurrent_kernel" in weights:
            if "kernel" not in weights or set(weights) - {"kernel", "recurrent_kernel", "bias"}:
                raise ModelFileError(f"arrays {names}: an LSTM layer has kernel, "
                                     "recurrent_kernel and (optionally) bias")
            lstm.append((layer, [weights[w][1] for w in ("kernel", "recurrent_kernel", "bias")
                                 if w in weights]))
        else:
            raise ModelFileError(f"arrays {names}: Keras layer {layer!r} is not an LSTM "
                                 "(no recurrent_kernel), an Embedding or a Dense head")
    if not lstm:
        raise ModelFileError("no Keras LSTM layer in the file (no recurrent_kernel array)")
    lstm.sort(key=lambda item: _keras_order(item[0]))
    for layer, weights in lstm:
        for w in weights:
            if w.dtype.kind != "f":
                raise ModelFileError(f"Keras layer {layer!r}: dtype {w.dtype}, expected floating "
                                     "point")
        kernel, recurrent = weights[0], weights[1]
        if recurrent.ndim != 2 or recurrent.shape[1] != 4 * recurrent.shape[0]:
            raise ModelFileError(f"Keras layer {layer!r}: recurrent_kernel has shape "
                                 f"{recurrent.shape}, expected (H, 4H)")
        if kernel.ndim != 2 or kernel.shape[1] != recurrent.shape[1]:
            raise ModelFileError(f"Keras layer {layer!r}: kernel has shape {kernel.shape}, "
                                 f"expected (input, {recurrent.shape[1]})")
    meta = _meta(arrays)
    meta.setdefault("keras_layers", [layer for layer, _ in lstm])
    return load_keras([w for _, w in lstm], embedding=embedding, dense=dense, meta=meta)


def load_any(source) -> Model:
    """Load a model file of either kind: pysim / PyTorch state_dict names (see load) or Keras
    weight names (the convention above). Raises ModelFileError."""
    arrays = read_npz(source)
    if is_keras(arrays):
        return from_keras_arrays(arrays)
    return from_arrays(arrays)
