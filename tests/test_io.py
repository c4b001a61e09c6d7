"""The model file (pysim.io): round trips, PyTorch state_dict names, the one loader (load,
load_any). What load refuses is tested where it is decided: test_npzfile (the archive),
test_arrays (the arrays), test_torchnames / test_words (module names, vocabulary), test_keras."""
import io
import json

import numpy as np
import pytest

import pysim
from pysim.io import ModelFileError, load, load_any, read_npz, state_dict, to_bytes
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


def test_model_file_error_is_value_error():
    assert issubclass(ModelFileError, ValueError)


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
