"""pysim-named arrays -> a Model (pysim.arrays.from_arrays, the last step of every load): every
missing, misshapen, non-finite or surplus array, and a bad meta, refused by name."""
import json

import numpy as np
import pytest

from pysim.io import ModelFileError, load, state_dict
from tests.helpers import npz, word_model


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
    (lambda a: a.update({"lstm.bias_hh_l00": a.pop("lstm.bias_hh_l0")}),  # the fuzzer's find
     "'lstm.bias_hh_l00': not a pysim model array"),
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
