"""The Contrast tab's data (pysim.evidence) and its Session methods, against direct runs."""
import numpy as np
import pytest

from pysim import evidence, patching, presets
from pysim.model import Clamp
from pysim.session import Session
from pysim.traces import trace_text
from tests.helpers import word_model

A = "arrive Beijing on November 2nd"
B = "leave Beijing on November 2nd"


def test_contrast_text_carries_both_runs():
    m = presets.load("beijing")
    d = evidence.contrast_text(m, A, B)
    ra, rb = m.trace(A), m.trace(B)
    np.testing.assert_array_equal(d["a_c"], ra.c)
    np.testing.assert_array_equal(d["b_h"], rb.h)
    np.testing.assert_array_equal(d["b_probs"], rb.probs)
    assert d["default_t"] == 0 and d["shape"] == [1, 12] and d["tags"] == m.config.tags
    assert "run_a" not in d


def test_patch_and_ablate_text_are_the_runs_of_pysim_patching():
    m = word_model(L=2, H=4, seed=10)
    d = evidence.patch_text(m, A, B, [{"layer": 1, "unit": 3}], 2, "ch")
    want = patching.patch(m, A, B, [(1, 3)], 2, "ch")
    np.testing.assert_array_equal(d["c"], want.c)
    np.testing.assert_array_equal(d["base_c"], m.trace(B).c)  # B's own run beside it
    ab = evidence.ablate_text(m, A, [{"layer": 0, "unit": 1}])
    zero = trace_text(m, A, [Clamp(gate="zero", layer=0, unit=1)])
    for k in ("c", "h", "probs"):
        np.testing.assert_array_equal(ab[k], zero[k])


def test_bad_requests_say_why():
    m = word_model(L=1, H=3)
    with pytest.raises(ValueError, match="0..1"):
        evidence.patch_text(m, A, "leave Beijing", [{"unit": 0}], 3)
    with pytest.raises(ValueError, match="does not exist"):
        evidence.patch_text(m, A, B, [{"layer": 1, "unit": 0}], 0)
    with pytest.raises(ValueError, match="softmax head"):
        evidence.flip_text(word_model(L=1, H=3, head=False), A, B)
    with pytest.raises(ValueError, match="empty"):
        evidence.contrast_text(m, "   ", B)
    with pytest.raises(ValueError, match="held-out, examples, lines"):
        evidence.corpus_sentences(m, "web")


def test_session_keeps_the_corpus_for_selections():
    s = Session("memory")
    with pytest.raises(ValueError, match="corpus first"):
        s.corpus_select(0, [0])
    v = s.corpus("held-out", None, 0, 3, "c")
    kept = s._corpus[1]
    assert s.corpus("held-out", None, 0, 1, "c")["order"] != [] and s._corpus[1] is kept
    sel = s.corpus_select(v["order"][0], [0])
    assert sel["units"] and all(0 <= u["unit"] < 4 for u in sel["units"])
    s.corpus("held-out", None, 0, 3, "h")
    assert s._corpus[1] is not kept  # another quantity: a new run
    r = s.flip("A x y z ?", "B x y z ?", 0, "c")
    assert r["at"] == 4 and r["tag_a"] == "A" and r["tag_b"] == "B"
