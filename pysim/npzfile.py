"""Reading a model file's bytes defensively: the .npz (zip of .npy) and what else a user brings.

read_npz(source) -> {name: array} in the archive's order (np.savez keeps the order it was
given, so the order of `model.weights` or of a state_dict survives). Nothing is trusted: the
zip directory's sizes are checked before anything is inflated, each .npy header is parsed and
checked before its data is read, and no pickle is ever loaded. Files that are not .npz weights
are recognised by their first bytes and members and answered with the lines of Python that
make a file pysim reads (SNIPPETS: the lines of the README's docs/snippets/from_pytorch.py and
from_keras.py, as a user types them):

    .keras archive      zip holding config.json / model.weights.h5 / metadata.json
    HDF5 (.h5)          starts with b"\\x89HDF"  (Keras model.save / save_weights)
    torch.save file     zip holding <dir>/data.pkl, <dir>/version; or pickle bytes (b"\\x80")
    a single .npy       starts with b"\\x93NUMPY"
    unnamed arrays      an .npz of arr_0, arr_1, ... only: np.savez(path, *model.get_weights())

Every problem raises ModelFileError (a ValueError) with a message naming the array and why.
"""
from __future__ import annotations

import io as _io
import os
import struct
import warnings
import zipfile
import zlib

import numpy as np

MAX_FILE_BYTES = 64 << 20          # the .npz as stored
MAX_ARRAY_BYTES = 64 << 20         # one array, uncompressed
MAX_TOTAL_BYTES = 128 << 20        # all arrays, uncompressed
MAX_MEMBERS = 256

NOT_A_MODEL = "not a model file"

TORCH_SNIPPET = """\
    import json, numpy as np
    arrays = {k: v.detach().cpu().numpy() for k, v in model.state_dict().items()}
    meta = {"vocab": list(vocab), "tags": list(tags)}  # vocab[i]: the word of embedding row i
    np.savez_compressed("model.npz", **arrays, meta=np.array(json.dumps(meta)))"""

KERAS_SNIPPET = """\
    import json, keras, numpy as np
    arrays = {w.path: keras.ops.convert_to_numpy(w.value) for w in model.weights}  # model order
    meta = {"vocab": list(vocab), "tags": list(tags), "keras_config": json.loads(model.to_json())}
    np.savez_compressed("model.npz", **arrays, meta=np.array(json.dumps(meta)))"""

SNIPPETS = {"torch": TORCH_SNIPPET, "keras": KERAS_SNIPPET}


class ModelFileError(ValueError):
    """The model file is not one pysim can load; the message says which array and why."""


def _refuse(what: str, kind: str, how: str):
    return ModelFileError(f"{NOT_A_MODEL}: {what}. {how}:\n{SNIPPETS[kind]}")


def read_source(source) -> bytes:
    """The bytes of a path (str / os.PathLike), bytes-like object or binary file, size-checked."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif hasattr(source, "read"):
        try:
            data = source.read(MAX_FILE_BYTES + 1)
        except (OSError, ValueError) as e:
            raise ModelFileError(f"cannot read the model file: {e}") from None
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
        except (OSError, ValueError) as e:  # ValueError: a path with a NUL byte
            raise ModelFileError(f"cannot read {path}: {getattr(e, 'strerror', None) or e}") \
                from None
    else:
        raise ModelFileError(f"expected a path, bytes or a binary file, got {type(source).__name__}")
    if len(data) > MAX_FILE_BYTES:
        raise ModelFileError(f"the model file is too large (over {MAX_FILE_BYTES} bytes)")
    return data


def _not_zip(data: bytes) -> ModelFileError:
    if data.startswith(b"\x89HDF"):
        return _refuse("this is an HDF5 file (Keras model.save / save_weights .h5)", "keras",
                       "pysim reads the weights as .npz; save them from Keras")
    if data.startswith(b"\x80"):
        return _refuse("this is a pickle (torch.save's legacy format), which pysim never "
                       "loads", "torch", "Save the state_dict as .npz")
    if data.startswith(b"\x93NUMPY"):
        return ModelFileError(f"{NOT_A_MODEL}: this is a single .npy array; a model file is a "
                              ".npz of named arrays (numpy.savez)")
    return ModelFileError(f"{NOT_A_MODEL}: a model file is a .npz (zip) archive")


def _recognise_zip(names: list) -> None:
    """Refuse the zip archives that are model files of another kind, by their members."""
    base = {n.rsplit("/", 1)[-1] for n in names}
    if {"config.json", "model.weights.h5"} & base or "metadata.json" in names:
        raise _refuse("this is a Keras .keras archive", "keras",
                      "pysim reads the weights as .npz; save them from Keras")
    if "data.pkl" in base or any(n.endswith("/version") for n in names):
        raise _refuse("this is a torch.save file (a pickle, which pysim never loads)", "torch",
                      "Save the state_dict as .npz")


def positional(arrays: dict) -> bool:
    """True for an .npz of unnamed arrays only (arr_0, arr_1, ...: np.savez(path, *arrays))."""
    names = [k for k in arrays if k != "meta"]
    return bool(names) and all(k.startswith("arr_") and k[4:].isdigit() for k in names)


def refuse_positional(arrays: dict) -> ModelFileError:
    n = sum(1 for k in arrays if k != "meta")
    return _refuse(f"the file holds {n} unnamed arrays (arr_0, arr_1, ...: "
                   "np.savez(path, *model.get_weights())), so pysim cannot tell which is which",
                   "keras", "Save them under their names (Keras; for PyTorch save "
                   "model.state_dict() by name)")


def parse_npy(name: str, raw: bytes) -> np.ndarray:
    """One .npy member -> array, checking the header before trusting any size in it."""
    f = _io.BytesIO(raw)
    try:
        with warnings.catch_warnings():  # the header is Python literal syntax: a damaged one
            warnings.simplefilter("ignore")  # warns (SyntaxWarning, Python 2 headers) -> quiet
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
    if (dtype.kind not in "fiuUSb" or dtype.fields is not None or dtype.subdtype is not None
            or dtype.itemsize == 0 or (dtype.kind == "f" and dtype.itemsize > 8)):
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
    """All arrays of an .npz (path, bytes or binary file), read defensively, in archive order."""
    data = read_source(source)
    if not data.startswith(b"PK"):
        raise _not_zip(data)
    try:
        zf = zipfile.ZipFile(_io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            struct.error, IndexError, KeyError, MemoryError, NotImplementedError) as e:
        raise ModelFileError(f"{NOT_A_MODEL}: broken .npz archive ({e})") from None
    _recognise_zip([info.filename for info in infos])
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
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, RuntimeError,
                NotImplementedError, struct.error, MemoryError) as e:
            raise ModelFileError(f"array {name!r}: cannot be read, the archive is damaged "
                                 f"({type(e).__name__}: {e})") from None
        except Exception as e:  # another decompressor's own error (lzma, bz2)
            raise ModelFileError(f"array {name!r}: cannot be read ({type(e).__name__}: {e})") \
                from None
        if len(raw) != info.file_size:
            raise ModelFileError(f"array {name!r}: size does not match the archive directory")
        arrays[name] = parse_npy(name, raw)
    return arrays
