"""Live: Keras 3 models saved with the README's snippet (docs/snippets/from_keras.py) load in pysim
and give Keras's own outputs (skipped where Keras 3 + jax is not importable).

Run it where Keras is (the venv .ci/run makes):

    KERAS_BACKEND=jax .venv-keras/bin/python -m pytest -q tests/test_keras_reference.py

Freshly built models: the fixture cases (tests/reference/make_keras_frameworks.py) with new
weights, and random ones (1-3 stacked LSTMs under random names, Sequential or functional, a
Dense or TimeDistributed(Dense) head, with or without biases); each compared with Keras's
probabilities and every layer's h and c at the tolerance of its dtype. Keras's bad files (a .keras
archive, a get_weights() list, a relu / hard_sigmoid LSTM) are refused by name.
"""
import io
import os
import sys
import zipfile

import numpy as np
import pytest

os.environ.setdefault("KERAS_BACKEND", "jax")
try:
    import jax  # noqa: F401
    import keras
except ImportError:
    pytest.skip("Keras 3 + jax not installed (run under .venv-keras)", allow_module_level=True)
if not keras.__version__.startswith("3."):
    pytest.skip(f"needs Keras 3, not {keras.__version__}", allow_module_level=True)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "reference"))
import make_keras_frameworks as mk  # noqa: E402

import pysim  # noqa: E402
from pysim.io import ModelFileError  # noqa: E402

save_for_pysim = mk.snippet("from_keras").save_for_pysim
layers = keras.layers


def tolerance(dtype):
    return mk.TOLERANCE["float32"] if dtype == "float32" else mk.float64_tolerance()[0]


def check(model, dtype, path):
    m = pysim.load(path)
    tol = tolerance(dtype)
    assert m.config.num_layers == len(mk.lstm_layers(model))
    for text in mk.TEXTS:
        ids = mk.word_ids(mk.VOCAB, mk.UNK, text)
        probs, h, c = mk.outputs(model, ids, dtype)
        tr = m.trace(text)
        assert list(m.encode(text.split())[0]) == ids
        errs = {k: float(np.max(np.abs(a - b))) for k, a, b in
                (("probs", tr.probs, probs), ("h", tr.h, h), ("c", tr.c, c))}
        assert max(errs.values()) <= tol, (text, errs, tol)
    return m


@pytest.mark.parametrize("name", sorted(mk.CASES))
def test_fixture_cases_with_new_weights(name, tmp_path):
    dtype, builder = mk.CASES[name]
    model = mk.fresh(builder, dtype, seed=101)
    save_for_pysim(model, mk.VOCAB, mk.TAGS, tmp_path / name, examples=mk.TEXTS)
    with zipfile.ZipFile(tmp_path / name) as z:  # every weight, under its path, in model order
        assert [n[:-4] for n in z.namelist()] == [w.path for w in model.weights] + ["meta"]
    m = check(model, dtype, tmp_path / name)
    assert m.meta["examples"] == mk.TEXTS and m.config.unk == mk.UNK


@pytest.fixture(autouse=True)
def float32_after():
    yield
    keras.config.set_floatx("float32")


def random_model(seed):
    rng = np.random.default_rng(seed)
    L, H, E = int(rng.integers(1, 4)), int(rng.integers(1, 9)), int(rng.integers(1, 7))
    names = [str(n) for n in rng.choice(["enc", "dec", "zz", "aa", "middle", "b2", "a10"], L,
                                        replace=False)]
    bias, distributed, sequential = (bool(b) for b in rng.integers(0, 2, 3))
    head_name = str(rng.choice(["out", "head", "x"]))

    def build():
        stack = [layers.LSTM(H, return_sequences=True, use_bias=bias, name=n) for n in names]
        head = layers.Dense(len(mk.TAGS), activation="softmax", name=head_name)
        head = layers.TimeDistributed(head) if distributed else head
        if sequential:
            return mk.sequential(["emb"] + stack + [head], E=E)
        return mk.functional(E, stack, head)
    return build


@pytest.mark.parametrize("seed", range(8))
def test_random_keras_models(seed, tmp_path):
    model = mk.fresh(random_model(seed), "float32", seed)
    save_for_pysim(model, mk.VOCAB, mk.TAGS, tmp_path / "m.npz", examples=mk.TEXTS)
    check(model, "float32", tmp_path / "m.npz")


@pytest.mark.parametrize("name", sorted(mk.BAD_ACTIVATIONS))
def test_activations_other_than_sigmoid_and_tanh_are_refused_by_name(name, tmp_path):
    layer, activation, builder = mk.BAD_ACTIVATIONS[name]
    save_for_pysim(mk.fresh(builder, "float32", 5), mk.VOCAB, mk.TAGS, tmp_path / name)
    with pytest.raises(ModelFileError) as e:
        pysim.load(tmp_path / name)
    assert activation in str(e.value) and layer in str(e.value), str(e.value)


def test_files_that_are_not_weights_are_recognised(tmp_path):
    model = mk.fresh(mk.CASES["keras_sequential_l1_f32.npz"][1], "float32", 7)
    model.save(tmp_path / "m.keras")
    np.savez(tmp_path / "w.npz", *model.get_weights())
    buf = io.BytesIO()
    np.savez(buf, *model.get_weights())
    for source, says in ((tmp_path / "m.keras", "keras"), (tmp_path / "w.npz", "get_weights"),
                         (buf.getvalue(), "get_weights")):
        with pytest.raises(ModelFileError) as e:
            pysim.load(source)
        assert says in str(e.value).lower(), str(e.value)
