"""Contrast of two texts (pysim.contrast) against a hand computation."""
import numpy as np

from pysim import contrast, presets
from tests.helpers import word_model

A = "arrive Beijing on November 2nd"
B = "leave Beijing on November 2nd"


def test_scores_are_a_hand_computation():
    m = word_model(L=2, H=4, seed=7)
    ra, rb = m.trace(A), m.trace(B + " on")  # B one word longer: the common steps are compared
    d = contrast.contrast(m, A, B + " on")
    T = 5
    pa, pb = ra.probs.argmax(-1), rb.probs.argmax(-1)[:T]
    steps = [t for t in range(T) if pa[t] != pb[t]] or list(range(T))
    assert d["steps"] == [t for t in range(T) if pa[t] != pb[t]]
    want = {}
    for l in range(2):
        for u in range(4):
            s = 0.0
            for t in steps:
                s += abs(ra.c[l, t, u] - rb.c[l, t, u]) + abs(ra.h[l, t, u] - rb.h[l, t, u])
            want[(l, u)] = s
    got = {(x["layer"], x["unit"]): x["score"] for x in d["units"]}
    assert got.keys() == want.keys()
    for k in want:
        assert abs(got[k] - want[k]) < 1e-12
    scores = [x["score"] for x in d["units"]]
    assert scores == sorted(scores, reverse=True)
    x = d["units"][0]
    np.testing.assert_allclose(x["dc"], np.abs(ra.c[x["layer"], :T, x["unit"]] - rb.c[x["layer"], :T, x["unit"]]),
                               rtol=0, atol=0)
    assert len(x["dh"]) == T and d["T"] == T
    assert d["tagsA"] == [m.config.tags[k] for k in pa]


def test_the_articles_pair_differs_at_beijing_and_one_unit_holds_the_verb():
    d = contrast.contrast(presets.load("beijing"), A, B)
    assert d["steps"] == [1]
    assert d["tagsA"][1] == "destination" and d["tagsB"][1] == "departure"
    assert (d["units"][0]["layer"], d["units"][0]["unit"]) == (0, 2)
    assert contrast.ranking(presets.load("beijing"), A, B)[0] == (0, 2)


def test_without_a_head_every_step_is_scored():
    m = word_model(L=1, H=3, head=False)
    d = contrast.contrast(m, A, B)
    ra, rb = m.trace(A), m.trace(B)
    assert d["steps"] == [] and d["tagsA"] == []
    want = (np.abs(ra.c - rb.c) + np.abs(ra.h - rb.h)).sum(axis=1)[0]
    got = {x["unit"]: x["score"] for x in d["units"]}
    for u in range(3):
        assert abs(got[u] - want[u]) < 1e-12


def test_one_unit_flips_the_articles_pair():
    """The README's claim: patching unit 2's C from the "arrive" run into the "leave" run flips
    "Beijing" to destination, P(destination) 0.003 -> 0.989."""
    from pysim import patching
    m = presets.load("beijing")
    r = patching.flip(m, A, B, contrast.ranking(m, A, B), what="c")
    assert r["k"] == 1 and r["units"] == [{"layer": 0, "unit": 2}]
    assert round(r["before"], 3) == 0.003 and round(r["after"][0], 3) == 0.989
