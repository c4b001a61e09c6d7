"""Reading a model file's bytes defensively (pysim.npzfile): not an .npz, truncated, pickled
objects, declared shapes and zip bombs refused before allocating, damaged deflate streams, every
byte flip; files that are not .npz weights (.keras, .h5, torch.save, unnamed arrays) recognised
and answered with the snippet that saves them."""
import io
import zipfile

import numpy as np
import pytest

from pysim.io import ModelFileError, load, to_bytes
from tests.helpers import npz, word_model
from tests.test_arrays import good_arrays


# ---- not an .npz, and archives that would not fit -----------------------------------------

@pytest.mark.parametrize("data", [b"", b"hello world", b"PK\x03\x04garbage", b"\x93NUMPY\x01\x00"])
def test_not_an_npz(data):
    with pytest.raises(ModelFileError, match="not a model file"):
        load(data)


def test_truncated_file():
    data = to_bytes(word_model())
    with pytest.raises(ModelFileError):
        load(data[: len(data) // 2])


def test_missing_path(tmp_path):
    with pytest.raises(ModelFileError, match="cannot read"):
        load(tmp_path / "nope.npz")


def test_pickled_objects_refused():
    arrays = good_arrays()
    arrays["meta"] = np.array([{"evil": 1}], dtype=object)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    with pytest.raises(ModelFileError, match="'meta': holds Python objects"):
        load(buf.getvalue())


def npy_with_header(shape, data: bytes, dtype="<f8"):
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": dtype, "fortran_order": False, "shape": shape})
    return buf.getvalue() + data


def zip_of(members: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, raw in members.items():
            zf.writestr(name, raw)
    return buf.getvalue()


def test_enormous_declared_shape_refused_before_allocating():
    data = zip_of({"lstm.weight_hh_l0.npy": npy_with_header((4 * 10**9, 10**9), b"\0" * 8)})
    with pytest.raises(ModelFileError, match="'lstm.weight_hh_l0': declares"):
        load(data)


def test_header_and_data_disagree():
    data = zip_of({"lstm.weight_hh_l0.npy": npy_with_header((16, 4), b"\0" * 8)})
    with pytest.raises(ModelFileError, match="'lstm.weight_hh_l0': header says"):
        load(data)


def test_zip_bomb_refused_from_directory_sizes():
    buf = io.BytesIO()
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("lstm.weight_hh_l0.npy", "w", force_zip64=True) as fh:
            for _ in range(80):  # 80 MB of zeros compress to ~80 KB
                fh.write(chunk)
    data = buf.getvalue()
    assert len(data) < 1 << 20
    with pytest.raises(ModelFileError, match="too large"):
        load(data)


# ---- damaged files: only ModelFileError, ever ------------------------------------------------

def corrupt_deflate(data: bytes, name: str) -> bytes:
    """Overwrite the start of one member's deflate stream (the zip directory stays intact)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(name)
    n, m = np.frombuffer(data, "<u2", 2, info.header_offset + 26)  # the local header's lengths
    offset = info.header_offset + 30 + int(n) + int(m)
    return data[:offset] + b"\xff" * 8 + data[offset + 8:]


def test_corrupt_deflate_stream_is_a_model_file_error():
    data = to_bytes(word_model())  # np.savez_compressed: deflated members
    bad = corrupt_deflate(data, "lstm.weight_hh_l0.npy")
    with pytest.raises(ModelFileError, match=r"array 'lstm.weight_hh_l0': cannot be read, the "
                                             r"archive is damaged \(error: "):
        load(bad)  # before: zlib.error escaped


def test_every_byte_flip_and_cut_is_a_model_file_error():
    data = to_bytes(word_model(L=1, H=2, D=2))
    rng = np.random.default_rng(0)
    for k in range(300):
        b = bytearray(data)
        for pos in rng.integers(0, len(b), 1 + k % 4):
            b[pos] = rng.integers(0, 256)
        cut = bytes(b[:rng.integers(1, len(b) + 1)]) if k % 3 == 0 else bytes(b)
        try:
            load(cut)
        except ModelFileError:
            pass


# ---- files that are not .npz weights: recognised, and answered with the snippet -------------

KERAS_LINES = ["    import json, keras, numpy as np",
               "    arrays = {w.path: keras.ops.convert_to_numpy(w.value) for w in model.weights}"
               "  # model order",
               '    meta = {"vocab": list(vocab), "tags": list(tags), "keras_config": '
               "json.loads(model.to_json())}"]


TORCH_LINES = ["    import json, numpy as np",
               "    arrays = {k: v.detach().cpu().numpy() for k, v in model.state_dict().items()}"]


def zip_bytes(names) -> bytes:
    return zip_of({n: b"x" for n in names})


@pytest.mark.parametrize("data, first, lines", [
    (zip_bytes(["metadata.json", "config.json", "model.weights.h5"]),
     "not a model file: this is a Keras .keras archive. pysim reads the weights as .npz; save "
     "them from Keras:", KERAS_LINES),
    (b"\x89HDF\r\n\x1a\n" + b"\0" * 100,
     "not a model file: this is an HDF5 file (Keras model.save / save_weights .h5). pysim reads "
     "the weights as .npz; save them from Keras:", KERAS_LINES),
    (zip_bytes(["archive/data.pkl", "archive/byteorder", "archive/data/0", "archive/version"]),
     "not a model file: this is a torch.save file (a pickle, which pysim never loads). Save the "
     "state_dict as .npz:", TORCH_LINES),
    (b"\x80\x02\x8a\x0alZ\xfc\x9cF\xf9 j\xa8P\x19.",
     "not a model file: this is a pickle (torch.save's legacy format), which pysim never loads. "
     "Save the state_dict as .npz:", TORCH_LINES),
    (npz(*[np.zeros((3, 16)), np.zeros((4, 16)), np.zeros(16)]),
     "not a model file: the file holds 3 unnamed arrays (arr_0, arr_1, ...: np.savez(path, "
     "*model.get_weights())), so pysim cannot tell which is which. Save them under their names "
     "(Keras; for PyTorch save model.state_dict() by name):", KERAS_LINES),
])
def test_other_files_are_recognised_and_answered(data, first, lines):
    with pytest.raises(ModelFileError) as e:
        load(data)
    msg = str(e.value).splitlines()
    assert msg[0] == first
    for line in lines:
        assert line in msg
    assert msg[-1] == ('    np.savez_compressed("model.npz", **arrays, '
                       'meta=np.array(json.dumps(meta)))')
    assert 4 <= len(msg) <= 7


def test_snippets_match_the_readme_snippets():
    """The messages save files as docs/snippets/from_*.py (the README's snippets) do: each code
    line of a message's snippet but the imports is a line of the README's snippet (the file
    name "model.npz" standing for the snippet's `path`)."""
    import pathlib
    from pysim.npzfile import SNIPPETS
    root = pathlib.Path(__file__).resolve().parent.parent / "docs" / "snippets"
    for kind, name in (("keras", "from_keras.py"), ("torch", "from_pytorch.py")):
        readme = {line.split("#")[0].strip() for line in (root / name).read_text().splitlines()}
        for line in SNIPPETS[kind].splitlines()[1:]:
            code = line.split("#")[0].strip().replace('"model.npz"', "path")
            if not code.startswith("meta = "):  # the README's meta also carries "examples"
                assert code in readme, (name, code)


def test_fuzzer_findings_are_refused_by_name():
    """Found by tests/fuzz: a meta string with code points beyond U+10FFFF (numpy builds such a
    str, json.loads then raised SystemError), and float128 weights (a warning when cast)."""
    arrays = good_arrays()
    members = {f"{k}.npy": npy_bytes(v) for k, v in arrays.items() if k != "meta"}
    bad_meta = {**members, "meta.npy": npy_with_header((), b"\xff\xff\xff\x7f", dtype="<U1")}
    with pytest.raises(ModelFileError, match="array 'meta': not Unicode text"):
        load(zip_of(bad_meta))
    wide = npy_with_header((3, 4), b"\xff" * 16 * 12, dtype="<f16")
    with pytest.raises(ModelFileError, match="array 'head.weight': unsupported dtype"):
        load(zip_of({**members, "head.weight.npy": wide}))


def npy_bytes(a) -> bytes:
    buf = io.BytesIO()
    np.save(buf, a)
    return buf.getvalue()
