"""The corpus view (pysim.corpus, pysim.evidence's corpus) against direct computations."""
import numpy as np
import pytest

from pysim import corpus, evidence, presets, tasks
from tests.helpers import word_model

LINES = ["arrive Beijing on November 2nd", "leave Beijing", "", "on November 2nd arrive",
         "leave leave Beijing on"]


def test_the_ranking_is_a_direct_sort():
    m = word_model(L=2, H=4, seed=8)
    sents = corpus.sentences_of(LINES)
    assert len(sents) == 4
    acts = corpus.activations(m, sents, "h")
    for l, u in [(0, 0), (1, 3)]:
        v = corpus.unit_view(acts, l, u, 4)
        want = [float(np.abs(m.trace(s).h[l, :, u]).max()) for s in sents]
        np.testing.assert_allclose(v["response"], want, rtol=0, atol=0)
        assert v["order"] == sorted(range(4), key=lambda k: (-want[k], k))
        np.testing.assert_array_equal(v["values"][2], m.trace(sents[2]).h[l, :, u])


def test_a_selection_finds_the_units_on_there_and_off_elsewhere():
    m = word_model(L=1, H=4, seed=9)
    sents = corpus.sentences_of(LINES)
    acts = corpus.activations(m, sents, "c")
    k, S = 0, [1, 2]
    s = corpus.select(acts, k, S, top=2)
    c = [m.trace(x).c[0].T for x in sents]  # (H, T) each
    for n in range(4):
        sign = -1.0 if c[k][n, S].mean() < 0 else 1.0
        on = (sign * c[k][n, S]).mean()
        rest = np.concatenate([np.delete(c[k][n], S)] + [c[j][n] for j in range(1, 4)])
        off = np.maximum(sign * rest, 0).mean()
        assert s["score"][n] == pytest.approx(on - off, abs=1e-12)
    ranked = sorted(range(4), key=lambda n: -s["score"][n])
    assert s["units"] == [n for n in ranked if s["score"][n] > 0][:2] or s["units"] == ranked[:1]
    for mt in s["matches"]:
        j = mt["sentence"]
        for t in range(len(sents[j])):
            ok = all(s["sign"][n] * c[j][n, t] >= s["on"][n] / 2 for n in s["units"])
            assert ok == (t in mt["steps"])
    counts = [len(mt["steps"]) for mt in s["matches"]]
    assert counts == sorted(counts, reverse=True)


def test_held_out_corpus_is_the_tasks_held_out_set():
    m = presets.load("beijing")
    got = evidence.corpus_sentences(m, "held-out")
    want = [w for w, _ in tasks.make("beijing", seed=0).test[:evidence.CORPUS_MAX]]
    assert got == want
    with pytest.raises(ValueError, match="held-out"):
        evidence.corpus_sentences(presets.load("untrained"), "held-out")
    assert evidence.corpus_sentences(m, "lines", "a b\n\nc") == [["a", "b"], ["c"]]
    with pytest.raises(ValueError, match="example"):
        evidence.corpus_sentences(m, "examples")  # the presets were trained before examples
    m.meta["examples"] = ["leave Paris"]
    m.meta["training"]["held_out_examples"] = ["arrive in Rome", "fly to Oslo"]
    assert evidence.corpus_sentences(m, "examples") == [["leave", "Paris"], ["arrive", "in", "Rome"],
                                                        ["fly", "to", "Oslo"]]


def test_bad_selections_are_refused():
    acts = corpus.activations(word_model(L=1, H=2), [["arrive", "on"]], "c")
    with pytest.raises(ValueError):
        corpus.select(acts, 0, [5])
    with pytest.raises(ValueError):
        corpus.select(acts, 3, [0])
    with pytest.raises(ValueError):
        corpus.activations(word_model(L=1, H=2), [["on"]], "g")
