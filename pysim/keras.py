"""Keras weight names -> pysim's PyTorch names, and the checks a Keras config allows.

The rules (pysim.io's docstring states them for users):

    name     [<model>/]<layer>[/<inner>][/<cell>]/<weight>[:0]   <weight> one of kernel,
             recurrent_kernel, bias, embeddings; <cell> a part ending in "cell" (lstm_cell);
             Keras 2 "lstm/lstm_cell/kernel:0", Keras 3 paths "sequential/lstm/lstm_cell/kernel",
             "time_distributed/dense/kernel". A leading part shared by every layer (the
             Sequential's own name) is dropped. Flat names of a 1-layer model: kernel,
             recurrent_kernel, bias, embeddings, dense_kernel, dense_bias.
    roles    by structure, never by the words in names: a layer with a recurrent_kernel is an
             LSTM (kernel (in, 4H), recurrent_kernel (H, 4H), bias (4H,), gate columns i, f, c,
             o); a layer with only a 2-D embeddings is the embedding; a layer with a kernel
             (H, K) (+ bias (K,)) and no recurrent_kernel is the softmax head (Dense, or
             TimeDistributed(Dense)). Anything else is refused by name.
    order    meta["lstm_layers"] (names, first = reads the input); else the LSTM layers' order
             in meta["keras_config"]; else Keras's automatic names lstm, lstm_1, lstm_2, ...;
             else the order of the arrays in the file, when each layer's arrays are contiguous
             and the widths chain (layer 0 reads the embedding's width, layer k the H of layer
             k - 1); else refused, saying how to state the order. Names are never sorted.
    config   meta["keras_config"] = json.loads(model.to_json()) (Sequential or Functional), or
             its layer list: every LSTM must have activation "tanh", recurrent_activation
             "sigmoid", go_backwards false; the head's activation is softmax or linear; layers
             other than InputLayer, Embedding, LSTM, Dense, TimeDistributed(Dense), dropout and
             noise layers (inactive when predicting), Activation(softmax / linear) are refused by
             name (GRU, SimpleRNN, Bidirectional, ...). Without a config, ASSUMED goes into
             model.meta["assumed"].
"""
from __future__ import annotations

import re

import numpy as np

from .npzfile import ModelFileError

WEIGHTS = ("kernel", "recurrent_kernel", "bias", "embeddings")
FLAT = {"kernel": ("lstm", "kernel"), "recurrent_kernel": ("lstm", "recurrent_kernel"),
        "bias": ("lstm", "bias"), "embeddings": ("embedding", "embeddings"),
        "dense_kernel": ("dense", "kernel"), "dense_bias": ("dense", "bias")}
ASSUMED = "sigmoid gates and tanh assumed: the file carries no Keras config"
PASSIVE = {"InputLayer", "Dropout", "SpatialDropout1D", "GaussianNoise", "GaussianDropout",
           "AlphaDropout"}  # no weights, and the identity when predicting
HEAD_ACTIVATIONS = ("softmax", "linear", None)
ORDER_HINT = ('state the order in the file\'s meta: {"lstm_layers": [%s]} (the first reads '
              'the input), or save the Keras config with the weights: meta["keras_config"] = '
              'json.loads(model.to_json())')


def key(name: str):
    """A Keras array name -> (layer path, weight), or None when it is not one."""
    base = name[:-2] if name.endswith(":0") else name
    if base in FLAT:
        return FLAT[base]
    parts = base.split("/")
    if len(parts) < 2 or parts[-1] not in WEIGHTS or not all(parts):
        return None
    layer = parts[:-1]
    if len(layer) > 1 and layer[-1].endswith("cell"):
        layer = layer[:-1]
    return "/".join(layer), parts[-1]


def is_keras(arrays: dict) -> bool:
    """True when the arrays carry Keras weight names (see above)."""
    return any(key(k) is not None for k in arrays if k != "meta")


def _groups(arrays: dict) -> dict:
    """{layer: {weight: (file name, array)}} in file order, the Sequential's prefix dropped."""
    groups: dict = {}
    for name, a in arrays.items():
        if name == "meta":
            continue
        k = key(name)
        if k is None:
            raise ModelFileError(f"array {name!r}: not a Keras weight name (expected "
                                 "<layer>/kernel:0, <layer>/recurrent_kernel:0, <layer>/bias:0, "
                                 "<layer>/embeddings:0 or Keras 3 paths like "
                                 "<layer>/lstm_cell/kernel, or kernel, recurrent_kernel, bias, "
                                 "embeddings, dense_kernel, dense_bias)")
        layer, weight = k
        if weight in groups.setdefault(layer, {}):
            raise ModelFileError(f"array {name!r}: a second {weight} for Keras layer {layer!r}")
        groups[layer][weight] = (name, a)
    while len(groups) and all("/" in g for g in groups):
        first = {g.split("/", 1)[0] for g in groups}
        if len(first) != 1:
            break
        groups = {g.split("/", 1)[1]: w for g, w in groups.items()}
    return groups


def _config_layers(config):
    """The layer list of a Keras config (model.to_json() parsed, or the list itself)."""
    if isinstance(config, dict):
        config = config.get("config", {}).get("layers") if isinstance(config.get("config"),
                                                                      dict) else None
    if not isinstance(config, list) or not all(isinstance(c, dict) for c in config):
        raise ModelFileError("array 'meta': 'keras_config' must be json.loads(model.to_json()) "
                             "or its list of layers")
    out = []
    for c in config:
        cfg = c.get("config") if isinstance(c.get("config"), dict) else {}
        out.append((str(c.get("class_name")), str(cfg.get("name", c.get("name"))), cfg))
    return out


def check_config(config) -> list:
    """Check a Keras config's layers (see above); returns the LSTM layer names in order."""
    lstms = []
    for cls, name, cfg in _config_layers(config):
        what = f"Keras layer {name!r}"
        if cls == "LSTM":
            for option, want in (("activation", "tanh"), ("recurrent_activation", "sigmoid")):
                got = cfg.get(option, want)
                if got != want:
                    kind = "gates" if option == "recurrent_activation" else "candidate and output"
                    raise ModelFileError(f"{what}: {option} {got!r} — pysim's LSTM uses {want} "
                                         f"({kind})")
            if cfg.get("go_backwards"):
                raise ModelFileError(f"{what}: go_backwards — pysim reads left to right only")
            lstms.append(name)
        elif cls in ("Dense", "TimeDistributed", "Activation"):
            inner = cfg.get("layer") if cls == "TimeDistributed" else None
            if inner is not None:
                inner_cls = str(inner.get("class_name")) if isinstance(inner, dict) else "?"
                if inner_cls != "Dense":
                    raise ModelFileError(f"{what}: TimeDistributed({inner_cls}) — pysim's head "
                                         "is a Dense (softmax) layer")
                cfg = inner.get("config") if isinstance(inner.get("config"), dict) else {}
            act = cfg.get("activation")
            if act not in HEAD_ACTIVATIONS:
                raise ModelFileError(f"{what}: activation {act!r} — pysim's head is a softmax "
                                     "(or linear) Dense layer after the LSTMs")
        elif cls == "Bidirectional":
            raise ModelFileError(f"{what}: Bidirectional — pysim runs left-to-right LSTMs only")
        elif cls in ("GRU", "SimpleRNN", "RNN", "ConvLSTM1D", "LSTMCell"):
            raise ModelFileError(f"{what}: {cls} — pysim runs LSTM layers only")
        elif cls not in PASSIVE and cls != "Embedding":
            raise ModelFileError(f"{what}: {cls} — pysim's models are an Embedding, LSTM "
                                 "layers and a Dense (softmax) head")
    return lstms


def _lstm_order(groups: dict, lstm: list, meta: dict, emb_width, sequence: list) -> list:
    """The LSTM layer names in stacking order (see above)."""
    def quoted(names):
        return ", ".join(f'"{n}"' for n in names)

    def match(names, source):
        first = {g.split("/", 1)[0]: g for g in lstm}
        lookup = {**first, **{g: g for g in lstm}}
        if (not isinstance(names, list) or not all(isinstance(n, str) for n in names)
                or sorted(lookup.get(n, "?") for n in names) != sorted(lstm)):
            raise ModelFileError(f"{source} names the LSTM layers {names!r}, but the file's "
                                 f"LSTM layers are {quoted(lstm)}")
        return [lookup[n] for n in names]

    if meta.get("lstm_layers") is not None:
        return match(meta["lstm_layers"], "array 'meta': 'lstm_layers'")
    if meta.get("keras_config") is not None:
        return match(check_config(meta["keras_config"]), "the Keras config (meta 'keras_config')")
    auto = [re.fullmatch(r"lstm(?:_(\d+))?", g) for g in lstm]
    if all(auto):
        return [g for _, g in sorted((int(m.group(1) or 0), g) for m, g in zip(auto, lstm))]
    if len(lstm) == 1:
        return lstm
    # the order in the file: each layer's arrays together, and the widths chain
    runs = [g for k, g in enumerate(sequence) if k == 0 or sequence[k - 1] != g]
    problem = None
    if len([g for g in runs if g in lstm]) != len(lstm):
        problem = "their arrays are interleaved in the file"
    else:
        width = emb_width
        for g in lstm:
            kernel, rec = groups[g]["kernel"][1], groups[g]["recurrent_kernel"][1]
            if width is not None and kernel.shape[0] != width:
                problem = (f"in the file's order, {g!r} reads width {kernel.shape[0]} but gets "
                           f"{width}")
                break
            width = rec.shape[0]
    if problem:
        raise ModelFileError(f"cannot tell the order of the Keras LSTM layers {quoted(lstm)} "
                             f"({problem}): " + ORDER_HINT % quoted(lstm))
    return lstm


def to_torch(arrays: dict, meta: dict):
    """Keras-named arrays -> (PyTorch-named arrays, {torch name: file name}, LSTM layer names).

    Checks the structure (see above); shapes and values are checked by io.from_arrays."""
    groups = _groups(arrays)
    lstm, embedding, head = [], [], []
    for layer, weights in groups.items():
        names = ", ".join(repr(n) for n, _ in weights.values())
        kinds = set(weights)
        if "backward_" in layer or layer.startswith("bidirectional"):
            raise ModelFileError(f"arrays {names}: Keras layer {layer!r} is half of a "
                                 "Bidirectional LSTM — pysim runs left-to-right LSTMs only")
        if "recurrent_kernel" in kinds:
            if "kernel" not in kinds or kinds - {"kernel", "recurrent_kernel", "bias"}:
                raise ModelFileError(f"arrays {names}: an LSTM layer has kernel, "
                                     "recurrent_kernel and (optionally) bias")
            lstm.append(layer)
        elif kinds == {"embeddings"} and weights["embeddings"][1].ndim == 2:
            embedding.append(layer)
        elif "kernel" in kinds and not kinds - {"kernel", "bias"} \
                and weights["kernel"][1].ndim == 2:
            head.append(layer)
        else:
            shapes = ", ".join(f"{w} {a.shape}" for w, (_, a) in weights.items())
            raise ModelFileError(f"arrays {names}: Keras layer {layer!r} ({shapes}) is not an "
                                 "LSTM (no recurrent_kernel), an Embedding or a Dense head")
    if not lstm:
        raise ModelFileError("no Keras LSTM layer in the file (no recurrent_kernel array)")
    for role, found in (("embedding", embedding), ("Dense head", head)):
        if len(found) > 1:
            raise ModelFileError(f"Keras layers {', '.join(map(repr, found))}: more than one "
                                 f"{role} — pysim's models have one embedding, LSTM layers and "
                                 "one Dense head after them")
    for layer in lstm:
        for w, (name, a) in groups[layer].items():
            if np.asarray(a).dtype.kind != "f":
                raise ModelFileError(f"array {name!r}: dtype {a.dtype}, expected floating point")
        kernel, rec = groups[layer]["kernel"][1], groups[layer]["recurrent_kernel"][1]
        if rec.ndim != 2 or rec.shape[1] != 4 * rec.shape[0]:
            gru = rec.ndim == 2 and rec.shape[1] == 3 * rec.shape[0]
            raise ModelFileError(f"Keras layer {layer!r}: recurrent_kernel has shape "
                                 f"{rec.shape}, expected (H, 4H)" + (" (a GRU's is (H, 3H): "
                                 "pysim runs LSTM layers only)" if gru else ""))
        if kernel.ndim != 2 or kernel.shape[1] != rec.shape[1]:
            raise ModelFileError(f"Keras layer {layer!r}: kernel has shape {kernel.shape}, "
                                 f"expected (input, {rec.shape[1]})")
    emb_width = groups[embedding[0]]["embeddings"][1].shape[1] if embedding else None
    layer_of = {name: g for g, ws in groups.items() for name, _ in ws.values()}
    sequence = [layer_of[name] for name in arrays if name != "meta"]  # the file's order
    order = _lstm_order(groups, lstm, meta, emb_width, sequence)
    _check_chain(groups, order, embedding, head)
    out, origin = {}, {}

    def put(torch_name, layer, weight, value):
        out[torch_name] = value
        origin[torch_name] = groups[layer][weight][0]

    for k, layer in enumerate(order):
        w = groups[layer]
        put(f"lstm.weight_ih_l{k}", layer, "kernel", w["kernel"][1].T)  # (4H, in), rows i f g o
        put(f"lstm.weight_hh_l{k}", layer, "recurrent_kernel", w["recurrent_kernel"][1].T)
        if "bias" in w:
            put(f"lstm.bias_ih_l{k}", layer, "bias", w["bias"][1])
            put(f"lstm.bias_hh_l{k}", layer, "bias", np.zeros_like(w["bias"][1]))
    if embedding:
        put("embedding.weight", embedding[0], "embeddings", groups[embedding[0]]["embeddings"][1])
    if head:
        w = groups[head[0]]
        put("head.weight", head[0], "kernel", w["kernel"][1].T)  # (K, H)
        if "bias" in w:
            put("head.bias", head[0], "bias", w["bias"][1])
    return out, origin, order


def _check_chain(groups: dict, order: list, embedding: list, head: list) -> None:
    """Shapes in Keras's own layout, so a message shows what the file holds."""
    width, source = None, None
    if embedding:
        name, emb = groups[embedding[0]]["embeddings"]
        width, source = emb.shape[1], f"the embedding {name!r} is {emb.shape[1]} wide"
    units = {layer: groups[layer]["recurrent_kernel"][1].shape[0] for layer in order}
    if len(set(units.values())) > 1:  # pysim's trace is (L, T, H): one H for every layer
        raise ModelFileError("the Keras LSTM layers have different numbers of units ("
                             + ", ".join(f"{k!r}: {v}" for k, v in units.items())
                             + "): pysim shows stacks whose layers all have the same number")
    for layer in order:
        w = groups[layer]
        kernel, rec = w["kernel"][1], w["recurrent_kernel"][1]
        if width is not None and kernel.shape[0] != width:
            raise ModelFileError(f"Keras layer {layer!r}: kernel has shape {kernel.shape}, "
                                 f"expected ({width}, {rec.shape[1]}): {source}")
        if "bias" in w and w["bias"][1].shape != (rec.shape[1],):
            raise ModelFileError(f"Keras layer {layer!r}: bias has shape {w['bias'][1].shape}, "
                                 f"expected ({rec.shape[1]},)")
        width, source = rec.shape[0], f"Keras layer {layer!r} has {rec.shape[0]} units"
    if head:
        w = groups[head[0]]
        kernel = w["kernel"][1]
        if kernel.shape[0] != width:
            raise ModelFileError(f"Keras layer {head[0]!r}: kernel has shape {kernel.shape}, "
                                 f"expected ({width}, K) for the head: {source}")
        if "bias" in w and w["bias"][1].shape != (kernel.shape[1],):
            raise ModelFileError(f"Keras layer {head[0]!r}: bias has shape {w['bias'][1].shape}, "
                                 f"expected ({kernel.shape[1]},)")
