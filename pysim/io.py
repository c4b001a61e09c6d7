"""The model file: one .npz of named arrays. THE loader for the page, the CLI and the Python API.

    load(source, vocab=None, tags=None, names=None) -> Model     (load_any and pysim.load: it)

source: a path, bytes or a binary file. A file loads everywhere or nowhere, with the same
message; every problem raises ModelFileError (a ValueError) naming the array and why, on
several lines when it ends with the Python that makes a file pysim reads.

pysim's own names (a PyTorch state_dict; pysim writes these):

    embedding.weight      (V, E)    optional: the model reads words (nn.Embedding)
    lstm.weight_ih_l{k}   (4H, in)  in = E for k = 0, H above; rows in PyTorch's (i, f, g, o)
    lstm.weight_hh_l{k}   (4H, H)
    lstm.bias_ih_l{k}     (4H,)     optional (both or neither, as nn.LSTM(bias=False))
    lstm.bias_hh_l{k}     (4H,)
    head.weight           (K, H)    optional: softmax over K tags (nn.Linear)
    head.bias             (K,)      optional
    meta                  0-d str   optional JSON: {"vocab": [...], "tags": [...], "unk",
                                    "examples": [...], "description", "training": {...}, ...}

A bare nn.LSTM's keys (weight_ih_l0, ...) load too. Other PyTorch module names (emb.weight,
encoder.weight_ih_l0, fc.weight, classifier.bias, model.rnn....): `names` maps them
({"emb": "embedding", "encoder": "lstm", "fc": "head"}, or "emb=embedding,encoder=lstm,fc=head",
the CLI's --names), else they are detected when exactly one assignment fits: the one module
with weight_ih_l0 ... is the LSTM; a module with only a 2-D weight as wide as the LSTM's input
is the embedding; one with a weight (K, H) (+ bias (K,)) is the head. Otherwise the load is
refused with the modules found, what pysim expects, and how to map them (pysim.torchnames).

Keras names (read when an array name ends in kernel / recurrent_kernel / bias / embeddings):
Keras 2 "lstm/lstm_cell/kernel:0", Keras 3 paths "sequential/lstm/lstm_cell/kernel",
"time_distributed/dense/kernel", any layer names. Roles by structure (a recurrent_kernel: an
LSTM; a lone 2-D embeddings: the embedding; a kernel (H, K) + bias: the head). LSTM layers stack
in the model's order: meta["lstm_layers"], else meta["keras_config"]'s layer order, else
Keras's automatic names lstm, lstm_1, ..., else the file's array order (np.savez keeps the order
of `model.weights`, layer by layer) when each layer's arrays are contiguous and the widths chain
(layer 0 reads the embedding's width, each next one the H before it); names are never sorted;
otherwise the load is refused, saying how to state the order.
meta["keras_config"] (json.loads(model.to_json())) is checked: tanh / sigmoid activations only,
no go_backwards / Bidirectional / GRU, refused by name; without it model.meta["assumed"] says
sigmoid and tanh are assumed. Details: pysim.keras.

Vocabulary: an embedding needs one word per row: meta["vocab"], or `vocab` (a list, or the bytes
/ path of a vocabulary file: one word per line, or a JSON list; read_vocab). An embedding
without one is refused (the model reads words), never read as a vector-input model.
Unknown-word token: meta["unk"], else the first of <unk>, <UNK>, [UNK], <oov>, <OOV> in the
vocabulary, else none; kept as Config.unk and written back to meta["unk"]. Word lookup
(Model.encode): whitespace tokens; each exactly, then lower-cased, then the unknown token; a word
with no match in a model without an unknown token is a ValueError naming the word.

Example sentences: meta["examples"] (strings) stay in model.meta; example_text(model) is the
first the model knows every word of, reads(model) says what it reads ("words (a vocabulary of
12: arrive, leave, …)" / "vectors of width 8"), knows_words(model, text) whether it finds every
word without the unknown token (pysim.words).

describe(model, name, filename) is what the page shows about a model: its sizes, what it reads,
its tags, the loader's notes (the one description: the worker's Session, training and a loaded
file's report all answer it).

Not .npz weights (a .keras archive, HDF5, a torch.save file, arr_0, arr_1, ... from
np.savez(path, *model.get_weights())): recognised, and answered with the lines that save the
file pysim reads (pysim.npzfile; nothing is ever unpickled).

pysim keeps the article's gate order (f, i, g, o) and ONE bias per layer, b = bias_ih + bias_hh.
Saving writes bias_ih = b and bias_hh = 0: pysim -> file -> pysim is exact.

Loading trusts nothing: the zip directory's sizes are checked before anything is inflated, each
.npy header is parsed and checked before its data is read, every array is checked for name,
shape, dtype and finiteness, and the Model is built only when all of it passed.
"""
from __future__ import annotations

import io as _io
import json
import os

import numpy as np

from . import keras as _keras
from . import torchnames
# pysim.io is the public door: the limits, read_npz, from_arrays and the words helpers live
# in pysim.npzfile, pysim.arrays and pysim.words and are used from here
from .arrays import (MAX_HIDDEN, MAX_INPUT, MAX_LAYERS, MAX_META_CHARS,  # noqa: F401
                     MAX_TAGS, MAX_VOCAB, _meta, from_arrays)
from .model import Model
from .npzfile import (MAX_ARRAY_BYTES, MAX_FILE_BYTES, MAX_MEMBERS,  # noqa: F401
                      MAX_TOTAL_BYTES, ModelFileError, positional, read_npz, refuse_positional)
from .tasks import ARTICLE_SENTENCES
from .torchnames import torch_names
from .words import example_text, knows_words, read_vocab, reads  # noqa: F401

is_keras = _keras.is_keras


# ---- saving ----------------------------------------------------------------------------------

def state_dict(model: Model) -> dict:
    """The model's arrays under PyTorch names (float64 numpy), without meta."""
    return {k: np.ascontiguousarray(v, dtype=np.float64)
            for k, v in torch_names(model.parameters(), model.config.hidden_size).items()}


def model_meta(model: Model) -> dict:
    meta = dict(model.meta)
    for key in ("vocab", "tags", "unk"):
        value = getattr(model.config, key)
        if value is not None:
            meta[key] = list(value) if isinstance(value, list) else value
    return meta


def to_bytes(model: Model, compress: bool = True) -> bytes:
    """The model file as bytes. compress=False (the page's downloads): np.savez, ~20x faster
    (float64 weights barely compress: a 15 MB model takes 1.3 s to deflate natively)."""
    arrays = state_dict(model)
    arrays["meta"] = np.array(json.dumps(model_meta(model), ensure_ascii=False, sort_keys=True))
    buf = _io.BytesIO()
    (np.savez_compressed if compress else np.savez)(buf, **arrays)
    return buf.getvalue()


def save(model: Model, path) -> None:
    """Write the model file to a path (str or os.PathLike) or a binary file object."""
    data = to_bytes(model)
    if hasattr(path, "write"):
        path.write(data)
        return
    with open(os.fspath(path), "wb") as fh:
        fh.write(data)


# ---- what the page shows about a model --------------------------------------------------------

def describe(model: Model, name: str = "", filename: str = "") -> dict:
    """The one description of a model, for the page (the Model menu, the status line, a loaded
    file's report, the training panel):

    name, file           the page's name for it ("beijing", "file: m.npz", "trained: memory"),
                         and the file it came from ("" for none)
    layers, hidden, input, vocab (words, 0 for a vector-input model), vocab_sample (the first 12),
    unk                  its unknown-word token, or None
    tags, head           the head's tags ([] without one), whether it has a head
    parameters, format   "keras" when it came from Keras names, else "pytorch"
    description          meta["description"]
    reads                what it reads (pysim.words.reads)
    article              it knows every word of both article sentences (the page shows their
                         buttons only then)
    notes                what the loader assumed (meta["assumed"], e.g. a Keras file without its
                         config gets sigmoid gates and tanh), each shown on the page
    """
    cfg = model.config
    assumed = model.meta.get("assumed")
    return {"name": name, "file": filename,
            "layers": cfg.num_layers, "hidden": cfg.hidden_size, "input": cfg.input_size,
            "vocab": len(cfg.vocab) if cfg.vocab else 0,
            "vocab_sample": list(cfg.vocab[:12]) if cfg.vocab else [],
            "unk": cfg.unk if cfg.vocab else None,
            "tags": list(cfg.tags or []), "head": model.head_W is not None,
            "parameters": int(sum(p.size for p in model.parameters().values())),
            "format": "keras" if model.meta.get("source") == "keras" else "pytorch",
            "description": str(model.meta.get("description", "")),
            "reads": reads(model),
            "article": all(knows_words(model, s) for s in ARTICLE_SENTENCES),
            "notes": [str(a) for a in (assumed if isinstance(assumed, list) else [assumed]) if a]}


# ---- the one loader --------------------------------------------------------------------------

def _from_keras(arrays: dict, vocab, tags, names) -> Model:
    meta = _meta(arrays)
    torch_arrays, origin, order = _keras.to_torch(arrays, meta)
    parts = {p for name in arrays for p in name.split("/")}
    for layer in torchnames.parse_names(names):  # Keras roles come from the structure alone
        if layer not in parts:
            raise ModelFileError(f"names: the file has no Keras layer {layer!r}")
    if "meta" in arrays:
        torch_arrays["meta"] = arrays["meta"]
    model = from_arrays(torch_arrays, vocab=vocab, tags=tags, origin=origin)
    model.meta.setdefault("source", "keras")
    model.meta["keras_layers"] = order
    if "keras_config" not in meta:
        model.meta.setdefault("assumed", _keras.ASSUMED)
    return model


def load(source, vocab=None, tags=None, names=None) -> Model:
    """Load a model file (path, bytes or binary file): pysim / PyTorch names, other PyTorch
    module names, or Keras names (see above).

    vocab: a list of words, or a vocabulary file (bytes / path: one word per line, or a JSON
    list), for a file whose meta has none. tags: the head's tag names. names: PyTorch module
    names -> roles, {"fc": "head", ...} or "fc=head,..." (a Keras file's roles come from its
    structure; names there must name its layers). Raises ModelFileError only.
    """
    try:
        arrays = read_npz(source)
        if positional(arrays):
            raise refuse_positional(arrays)
        if is_keras(arrays):
            return _from_keras(arrays, vocab, tags, names)
        renamed, origin = torchnames.to_pysim(arrays, names)
        return from_arrays(renamed, vocab=vocab, tags=tags, origin=origin)
    except ModelFileError:
        raise
    except MemoryError:
        raise ModelFileError("the model file is too large to load") from None
    except Exception as e:  # a check this module lacks: still the loader's own error
        raise ModelFileError(f"the model file cannot be read ({type(e).__name__}: {e})") \
            from None


load_any = load


def load_keras(layers, embedding=None, dense=None, vocab=None, tags=None, meta=None) -> Model:
    """A Model from Keras weights in memory (LSTM with the default sigmoid/tanh activations).

    layers: one entry per stacked LSTM layer, in order, each `lstm_layer.get_weights()`:
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
