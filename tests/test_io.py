"""The model file (pysim.io): PyTorch state_dict names, safe loading, Keras import."""
import io
import json
import zipfile

import numpy as np
import pytest

import pysim
from pysim.io import (ModelFileError, load, load_any, load_keras, read_npz, save, state_dict,
                      to_bytes)
from pysim.model import UNK, Config, Model
from tests.helpers import TEXT, npz, same_trace, word_model


# ---- round trips ----------------------------------------------------------------

def test_round_trip_path_bytes_filelike(tmp_path):
    m = word_model(meta={"description": "test model", "training": {"seed": 0}})
    p = tmp_path / "m.npz"
    pysim.save(m, p)
    with open(tmp_path / "m2.npz", "wb") as fh:  # a binary file too
        pysim.save(m, fh)
    for src in (p, str(p), p.read_bytes(), io.BytesIO(p.read_bytes()), tmp_path / "m2.npz",
                bytearray(to_bytes(m))):
        m2 = load(src)
        same_trace(m, m2)
        assert m2.config == m.config
        assert m2.meta == m.meta
    assert pysim.load is load


def test_file_has_torch_names_and_layout():
    m = word_model(L=2, H=4, D=3)
    arrays = read_npz(to_bytes(m))
    assert sorted(arrays) == sorted(["embedding.weight", "head.weight", "head.bias", "meta"] + [
        f"lstm.{w}_l{k}" for k in range(2) for w in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")])
    assert arrays["lstm.weight_ih_l0"].shape == (16, 3)
    assert arrays["lstm.weight_ih_l1"].shape == (16, 4)
    H = 4  # torch row block 0 is the input gate = pysim's block 1, columns H: are x
    assert np.array_equal(arrays["lstm.weight_ih_l0"][:H], m.layers[0].W_i[:, H:])
    assert np.array_equal(arrays["lstm.weight_hh_l0"][H:2 * H], m.layers[0].W_f[:, :H])
    meta = json.loads(str(arrays["meta"]))
    assert meta["vocab"][0] == UNK and meta["tags"][1] == "destination"


def test_vector_model_round_trip():
    m = Model.random(Config(input_size=2, hidden_size=3, num_layers=1), seed=2)
    m2 = load(to_bytes(m))
    x = np.random.default_rng(0).standard_normal((5, 2))
    same_trace(m, m2, x)
    assert m2.head_W is None and m2.config.vocab is None


def test_bias_split_is_summed():
    m = word_model(L=1)
    sd = state_dict(m)
    rng = np.random.default_rng(1)
    split = rng.standard_normal(16)
    sd["lstm.bias_hh_l0"] = split
    sd["lstm.bias_ih_l0"] = sd["lstm.bias_ih_l0"] - split
    m2 = load(npz(**sd), vocab=m.config.vocab, tags=m.config.tags)
    np.testing.assert_allclose(m2.layers[0].b, m.layers[0].b, rtol=0, atol=1e-15)


def test_plain_torch_state_dict_without_meta():
    m = word_model(L=1)
    sd = state_dict(m)
    m2 = load(npz(**sd), vocab=m.config.vocab)  # no meta: tags numbered
    assert m2.config.tags == ["tag0", "tag1", "tag2"]
    np.testing.assert_array_equal(m2.trace(TEXT).probs, m.trace(TEXT).probs)
    m3 = load(npz(**sd), vocab=m.config.vocab, tags=m.config.tags)
    same_trace(m, m3)


def test_bare_nn_lstm_keys():
    m = Model.random(Config(input_size=2, hidden_size=3, num_layers=2), seed=3)
    sd = {k[len("lstm."):]: v for k, v in state_dict(m).items()}
    assert "weight_ih_l0" in sd
    same_trace(m, load(npz(**sd)), np.ones((4, 2)))


def test_no_biases_and_float32():
    m = Model.random(Config(input_size=2, hidden_size=3), seed=4)
    m.layers[0].b[:] = 0
    sd = {k: v.astype(np.float32) for k, v in state_dict(m).items() if "bias" not in k}
    m2 = load(npz(**sd))
    assert m2.layers[0].W.dtype == np.float64
    np.testing.assert_allclose(m2.layers[0].W, m.layers[0].W, rtol=1e-6)


# ---- refusing bad files ------------------------------------------------------------

def good_arrays():
    sd = state_dict(word_model(L=2))
    sd["meta"] = np.array(json.dumps({"vocab": word_model().config.vocab,
                                      "tags": ["O", "destination", "departure"]}))
    return sd


@pytest.mark.parametrize("change, match", [
    (lambda a: a.pop("lstm.weight_hh_l1"), "'lstm.weight_hh_l1': missing"),
    (lambda a: a.pop("lstm.bias_hh_l0"), "'lstm.bias_hh_l0': missing"),
    (lambda a: a.update({"lstm.weight_ih_l1": np.zeros((16, 5))}), r"'lstm.weight_ih_l1': shape \(16, 5\)"),
    (lambda a: a.update({"lstm.weight_hh_l0": np.zeros((15, 4))}), "'lstm.weight_hh_l0'"),
    (lambda a: a.update({"head.bias": np.zeros(4)}), "'head.bias': shape"),
    (lambda a: a.update({"embedding.weight": np.zeros((7, 2))}), "'embedding.weight': shape"),
    (lambda a: a.update({"surprise": np.zeros(2)}), "'surprise': not a pysim model array"),
    (lambda a: a.update({"lstm.weight_ih_l0_reverse": np.zeros(2)}), "bidirectional"),
    (lambda a: a.update({"lstm.weight_ih_l3": np.zeros((16, 4))}), "'lstm.weight_ih_l2': missing"),
    (lambda a: a["lstm.bias_ih_l1"].__setitem__(3, np.nan), "'lstm.bias_ih_l1': contains NaN"),
    (lambda a: a.update({"head.weight": np.ones((3, 4), dtype=np.int64)}), "'head.weight': dtype int64"),
    (lambda a: a.update({"head.weight": np.ones((3, 4), dtype=np.complex128)}), "'head.weight'"),
    (lambda a: a.update({"meta": np.array("{not json")}), "'meta': not valid JSON"),
    (lambda a: a.update({"meta": np.array(json.dumps({"vocab": ["a"]}))}), "'vocab' must be a list of 7"),
    (lambda a: a.update({"meta": np.array(json.dumps([1]))}), "must be an object"),
    (lambda a: [a.pop(k) for k in list(a) if k.startswith("lstm.")], "no LSTM weights"),
])
def test_bad_arrays_are_named(change, match):
    arrays = good_arrays()
    change(arrays)
    with pytest.raises(ModelFileError, match=match):
        load(npz(**arrays))


def test_model_file_error_is_value_error():
    assert issubclass(ModelFileError, ValueError)


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


def test_huge_dimensions_refused():
    arrays = {"lstm.weight_ih_l0": np.zeros((4 * 5000, 1)), "lstm.weight_hh_l0": np.zeros((4 * 5000, 1))}
    with pytest.raises(ModelFileError, match="weight_hh_l0"):
        load(npz(**arrays))


def test_vocab_given_must_match():
    m = word_model()
    sd = state_dict(m)
    with pytest.raises(ModelFileError, match=r"the vocab given must be a list of 7 strings, one "
                                             r"per embedding row \(it has 2\)"):
        load(npz(**sd), vocab=["a", "b"])


# ---- Keras ----------------------------------------------------------------------------

def keras_forward(x, layers, dense):
    """An independent Keras-style forward: z = x K + h R + b, columns (i, f, c, o)."""
    inp = x
    for kernel, rec, bias in layers:
        H = rec.shape[0]
        h, c, hs = np.zeros(H), np.zeros(H), []
        for t in range(inp.shape[0]):
            z = inp[t] @ kernel + h @ rec + bias
            i = 1 / (1 + np.exp(-z[:H]))
            f = 1 / (1 + np.exp(-z[H:2 * H]))
            cc = np.tanh(z[2 * H:3 * H])
            o = 1 / (1 + np.exp(-z[3 * H:]))
            c = f * c + i * cc
            h = o * np.tanh(c)
            hs.append(h)
        inp = np.array(hs)
    logits = inp @ dense[0] + dense[1]
    e = np.exp(logits - logits.max(1, keepdims=True))
    return inp, e / e.sum(1, keepdims=True)


def test_load_keras_matches_keras_equations():
    rng = np.random.default_rng(5)
    D, H, K = 3, 4, 2
    layers = [[rng.standard_normal((D, 4 * H)), rng.standard_normal((H, 4 * H)), rng.standard_normal(4 * H)],
              [rng.standard_normal((H, 4 * H)), rng.standard_normal((H, 4 * H)), rng.standard_normal(4 * H)]]
    dense = [rng.standard_normal((H, K)), rng.standard_normal(K)]
    m = load_keras(layers, dense=dense, tags=["a", "b"])
    x = rng.standard_normal((6, D))
    h_ref, p_ref = keras_forward(x, layers, dense)
    tr = m.trace(x)
    np.testing.assert_allclose(tr.h[-1], h_ref, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(tr.probs, p_ref, rtol=1e-12, atol=1e-14)
    # and it saves as a normal model file
    same_trace(m, load(to_bytes(m)), x)


def test_load_keras_with_embedding_and_vocab():
    rng = np.random.default_rng(6)
    m = load_keras([[rng.standard_normal((2, 8)), rng.standard_normal((2, 8))]],
                   embedding=rng.standard_normal((3, 2)), vocab=[UNK, "a", "b"])
    assert m.trace("a b zz").unknown.tolist() == [False, False, True]
    with pytest.raises(ModelFileError, match="keras layer 0"):
        load_keras([[np.zeros((2, 8))]])


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


# ---- load_any ------------------------------------------------------------------------------

def test_load_any_reads_pysim_and_torch_files_like_load():
    m = word_model()
    same_trace(m, load_any(to_bytes(m)))
    bare = {k[len("lstm."):] if k.startswith("lstm.") else k: v for k, v in state_dict(m).items()
            if k.startswith("lstm.")}
    m2 = load_any(npz(**bare))
    assert m2.config.vocab is None and m2.config.num_layers == 2


def test_load_any_refuses_garbage():
    with pytest.raises(ModelFileError, match="not a model file"):
        load_any(b"garbage")
