"""PyTorch module names -> pysim's roles (pysim.torchnames): detected by the modules' shapes,
ambiguity refused with what was found and how to map it (names=, --names), and messages that
name the file's own arrays; pysim's arrays -> PyTorch's names and gate order (torch_names,
swap_fi)."""
import numpy as np
import pytest

from pysim.io import ModelFileError, load
from pysim.torchnames import swap_fi, torch_names
from tests.helpers import npz, same_trace, word_model
from tests.test_words import TAGS, model, renamed


@pytest.mark.parametrize("names", [("emb", "encoder", "fc"), ("embedding", "lstm", "classifier"),
                                   ("model.tok", "model.rnn", "model.out")])
def test_module_names_are_detected_by_structure(names):
    m = model()
    same_trace(m, load(npz(**renamed(m, *names), meta={"vocab": m.config.vocab, "tags": TAGS})))


def test_ambiguous_modules_are_refused_with_what_was_found_and_how_to_map():
    m = model(L=1, H=3, D=3)  # E == H and a head without bias: both could be either
    arrays = {k: v for k, v in renamed(m, "a", "encoder", "b").items() if k != "b.bias"}
    data = npz(**arrays, meta={"vocab": m.config.vocab, "tags": TAGS})
    with pytest.raises(ModelFileError) as e:
        load(data)
    assert str(e.value) == (
        "cannot tell what 'a', 'b' are: more than one assignment of embedding / head fits "
        "their shapes. The file's modules: a: weight (7, 3); encoder: weight_ih_l0 (12, 3), "
        "weight_hh_l0 (12, 3), bias_ih_l0 (12,), bias_hh_l0 (12,); b: weight (3, 3). pysim "
        "expects embedding.weight (V, E) (optional), lstm.weight_ih_l0 ... (one nn.LSTM), "
        "head.weight (K, H) and head.bias (optional). To use other names, map them: "
        'pysim.load(path, names={"emb": "embedding", "encoder": "lstm", "fc": "head"}), or on '
        "the command line --names emb=embedding,encoder=lstm,fc=head")
    for names in ({"a": "embedding", "b": "head"}, "a=embedding,b=head", " a = embedding , b=head"):
        k = load(data, names=names)
        np.testing.assert_array_equal(k.embedding, m.embedding)
        np.testing.assert_array_equal(k.head_W, m.head_W)
    with pytest.raises(ModelFileError, match="names: the file has no module 'c'"):
        load(data, names="c=head")
    with pytest.raises(ModelFileError, match="the role must be one of embedding, lstm, head"):
        load(data, names="a=emb")


def test_a_module_no_role_fits_is_named():
    m = model()
    arrays = {**renamed(m), "crf.transitions": np.zeros((3, 3))}
    with pytest.raises(ModelFileError, match="array 'crf.transitions': not a pysim model array "
                                             r"\(no role left fits its shapes\)\. The file's "
                                             "modules: emb: weight"):
        load(npz(**arrays, meta={"vocab": m.config.vocab}))


def test_messages_name_the_files_arrays():
    m = model()
    arrays = renamed(m)
    arrays["fc.bias"] = np.full(3, np.nan)
    with pytest.raises(ModelFileError, match="array 'fc.bias': contains NaN"):
        load(npz(**arrays, meta={"vocab": m.config.vocab}))


# ---- pysim -> PyTorch: names, layout and gate order --------------------------------------------

def test_swap_fi_is_its_own_inverse():
    a = np.arange(8 * 3).reshape(8, 3)
    assert np.array_equal(swap_fi(swap_fi(a, 2), 2), a)
    assert np.array_equal(swap_fi(a, 2)[:2], a[2:4])


def test_torch_names_params():
    m = word_model(L=1, H=2, D=3)
    sd = torch_names(m.parameters(), 2)
    assert sd["lstm.weight_ih_l0"].shape == (8, 3) and np.all(sd["lstm.bias_hh_l0"] == 0)
