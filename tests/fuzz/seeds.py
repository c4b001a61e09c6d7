"""Seeds for the loader's fuzzer (tests/fuzz/fuzz_io.py): real model files, in each form.

seed_files() -> {name: file bytes}: the model files the project ships (pysim/data,
tests/fixtures, with the files real PyTorch and Keras wrote: .npz, .keras, .weights.h5,
torch.save .pt), models pysim saves compressed and uncompressed, a torch state_dict (bare
nn.LSTM keys, no bias, float32, other module names), Keras 2 / Keras 3 / flat Keras names, a
get_weights() list saved positionally, a .keras-like and a torch.save-like zip, pickle bytes,
a single .npy, an HDF5 header and a damaged deflate stream.

seeds() -> {file name: fuzz input}: every file raw, its members zipped by the harness
(stored, deflated, and typed: NAME@shape.dtype / NAME.json), and the call forms with their
arguments (a vocabulary file, a vocabulary list, tags, module names, a file object, a path).
"""
from __future__ import annotations

import io
import json
import pickle
import zipfile
from pathlib import Path

from tests.fuzz.fuzz_io import DEFLATE, MEMBERS, ROOT, TYPED, _npy, pack, pack_members

MAX_SEED_BYTES = 64 << 10  # larger shipped files are left out of the seeds (slow to mutate)
SEED_SUFFIXES = (".npz", ".keras", ".h5", ".pt", ".pth")


def _npz(compress: bool = False, **arrays) -> bytes:
    import numpy as np
    buf = io.BytesIO()
    (np.savez_compressed if compress else np.savez)(buf, **arrays)
    return buf.getvalue()


def _zip(members: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def seed_files() -> dict:
    """name -> model file bytes: the shipped files and one of each kind a user brings."""
    import numpy as np
    from pysim.io import state_dict, to_bytes
    from pysim.model import Config, Model
    files = {}
    shipped = [*ROOT.glob("pysim/data/*.npz"), *ROOT.glob("tests/fixtures/**/*.*")]
    for path in sorted(shipped):  # and the files real PyTorch and Keras wrote (.npz, .pt, ...)
        if path.suffix in SEED_SUFFIXES and path.stat().st_size <= MAX_SEED_BYTES:
            files[path.stem] = path.read_bytes()
    words = Model.random(Config(2, 3, 2, vocab=["<unk>", "a", "b"], tags=["O", "X"]), seed=1,
                         meta={"examples": ["a b"], "unk": "<unk>"})
    vectors = Model.random(Config(2, 2, 1), seed=2)
    sd = state_dict(words)
    meta = json.dumps({"vocab": words.config.vocab, "tags": words.config.tags})
    files["words"] = to_bytes(words)
    files["vectors"] = to_bytes(vectors)
    files["words_stored"] = _npz(meta=np.array(meta), **sd)
    files["meta_bytes"] = _npz(meta=np.array(meta.encode()), **sd)  # meta as numpy bytes ("S")
    files["no_meta_f32"] = _npz(**{k: v.astype(np.float32) for k, v in sd.items()})
    files["bare_lstm"] = _npz(**{k[5:]: v for k, v in state_dict(vectors).items()})
    files["no_bias"] = _npz(**{k: v for k, v in state_dict(vectors).items() if "bias" not in k})
    own = {"emb.weight": sd["embedding.weight"], "fc.weight": sd["head.weight"],
           "fc.bias": sd["head.bias"]}
    own.update({"encoder." + k[5:]: v for k, v in sd.items() if k.startswith("lstm.")})
    files["own_names"] = _npz(meta=np.array(meta), **own)
    keras = {"embedding/embeddings:0": sd["embedding.weight"]}
    for k in range(2):
        cell = "lstm" if k == 0 else f"lstm_{k}"
        keras[f"{cell}/lstm_cell/kernel:0"] = sd[f"lstm.weight_ih_l{k}"].T
        keras[f"{cell}/lstm_cell/recurrent_kernel:0"] = sd[f"lstm.weight_hh_l{k}"].T
        keras[f"{cell}/lstm_cell/bias:0"] = sd[f"lstm.bias_ih_l{k}"]
    keras["dense/kernel:0"] = sd["head.weight"].T
    keras["dense/bias:0"] = sd["head.bias"]
    def lstm_layer(name):
        return {"class_name": "LSTM", "config": {"name": name, "activation": "tanh",
                                                 "recurrent_activation": "sigmoid"}}
    layer = lstm_layer("lstm")
    config = {"class_name": "Sequential", "config": {"layers": [
        {"class_name": "Embedding", "config": {"name": "embedding"}}, layer, lstm_layer("lstm_1"),
        {"class_name": "TimeDistributed", "config": {"name": "time_distributed", "layer": {
            "class_name": "Dense", "config": {"activation": "softmax"}}}}]}}
    files["keras2"] = _npz(meta=np.array(meta), **keras)
    keras3 = {k.replace("/lstm_cell", "").replace(":0", "").replace("dense", "time_distributed"):
              v for k, v in keras.items()}
    files["keras3"] = _npz(True, meta=np.array(json.dumps(
        {**json.loads(meta), "keras_config": config})), **keras3)
    files["keras_flat"] = _npz(kernel=keras["lstm/lstm_cell/kernel:0"],
                               recurrent_kernel=keras["lstm/lstm_cell/recurrent_kernel:0"],
                               bias=keras["lstm/lstm_cell/bias:0"])
    files["positional"] = _npz(**{f"arr_{k}": v for k, v in enumerate(keras.values())})
    files["dot_keras"] = _zip({"metadata.json": b'{"keras_version": "3.15.1"}',
                               "config.json": json.dumps({"config": {"layers": [layer]}}).encode(),
                               "model.weights.h5": b"\x89HDF\r\n\x1a\n" + bytes(24)})
    files["torch_save"] = _zip({"archive/data.pkl": pickle.dumps({"w": 1.0}, protocol=2),
                                "archive/version": b"3\n", "archive/data/0": bytes(16)})
    files["pickle"] = pickle.dumps({"lstm.weight_ih_l0": [[0.0]]}, protocol=2)
    files["npy"] = _npy(np.zeros((4, 1)))
    files["h5"] = b"\x89HDF\r\n\x1a\n" + bytes(32)
    broken = bytearray(files["words"])
    start = 30 + int.from_bytes(broken[26:28], "little") + int.from_bytes(broken[28:30], "little")
    broken[start] ^= 0xFF  # the first member's deflate stream: "invalid code lengths set"
    files["damaged_deflate"] = bytes(broken)
    return files


def _typed(members: dict) -> dict:
    """.npy members as NAME@shape.dtype (numbers) and NAME.json (text), the others as given."""
    import numpy as np
    out = {}
    for name, raw in members.items():
        try:
            a = np.load(io.BytesIO(raw), allow_pickle=False)
        except Exception:  # noqa: BLE001 - not an .npy numpy reads: kept as it is
            out[name] = raw
            continue
        base = name[:-4] if name.endswith(".npy") else name
        if a.dtype.kind in "US" and a.shape == ():
            out[base + ".json"] = str(a.item() if a.dtype.kind == "U" else
                                      a.item().decode("utf-8", "replace")).encode()
        elif a.dtype.kind in TYPED:
            a = a.astype(a.dtype.newbyteorder("="))
            dims = "x".join(str(n) for n in a.shape)
            out[f"{base}@{dims}.{a.dtype.kind}{a.dtype.itemsize}"] = a.tobytes()
        else:
            out[name] = raw
    return out


def seeds() -> dict:
    """file name -> fuzz input: every seed file raw and zipped by the harness, and the call
    forms with their arguments."""
    out = {}
    vocab = b"<unk>\na\nb\n"
    files = seed_files()
    for name, file in files.items():
        out[f"{name}.bin"] = pack(file)
        if file.startswith(b"PK"):
            try:
                with zipfile.ZipFile(io.BytesIO(file)) as zf:
                    members = {i.filename: zf.read(i) for i in zf.infolist()}
            except Exception:  # noqa: BLE001 - a deliberately damaged seed
                continue
            out[f"{name}-members.bin"] = pack_members(members)
            out[f"{name}-members-deflated.bin"] = pack_members(members, MEMBERS | DEFLATE)
            out[f"{name}-typed.bin"] = pack_members(_typed(members))
    words = files["words_stored"]
    out["words-filelike.bin"] = pack(words, 1)
    out["words-vocab-file.bin"] = pack(words, 2, vocab)
    out["words-vocab-json.bin"] = pack(words, 2, b'["<unk>", "a", "b"]')
    out["words-vocab-list.bin"] = pack(words, 3, vocab.strip())
    out["words-tags.bin"] = pack(words, 6, b"O\nX")
    out["words-path.bin"] = pack(words, 7)
    out["no-meta-vocab-file.bin"] = pack(files["no_meta_f32"], 2, vocab)
    own = files["own_names"]
    out["own-names-text.bin"] = pack(own, 4, b"emb=embedding,encoder=lstm,fc=head")
    out["own-names-dict.bin"] = pack(own, 5, b"emb=embedding,encoder=lstm,fc=head")
    out["keras-names.bin"] = pack(files["keras2"], 4, b"lstm_1=lstm,dense=head")
    return out


def write_seeds(directory) -> int:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    made = seeds()
    for name, data in made.items():
        (directory / name).write_bytes(data)
    return len(made)


