"""Activation patching and ablation (pysim.patching) against direct computations."""
import numpy as np
import pytest

from pysim import lstm, patching, presets
from pysim.model import Clamp
from tests.helpers import word_model

A = "arrive Beijing on November 2nd"
B = "leave Beijing on November 2nd"
FIELDS = ("f", "i", "g", "o", "c", "h")


def _same(x, y, atol=0.0):
    for k in FIELDS:
        np.testing.assert_allclose(getattr(x, k), getattr(y, k), rtol=0, atol=atol, err_msg=k)


@pytest.mark.parametrize("fast", [True, False])
def test_a_patch_of_no_units_changes_nothing(fast):
    m = word_model(L=2, H=4, seed=1)
    _same(patching.patch(m, A, B, [], 2, "ch", fast=fast), m.trace(B, fast=fast))


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("t", [0, 1, 3])
def test_patching_every_unit_makes_b_run_on_as_a(fast, t):
    """Every unit's C and h at step t from A: B's later steps are A's (the same later inputs)."""
    m = word_model(L=2, H=4, seed=2)
    units = [(l, u) for l in range(2) for u in range(4)]
    run_a, run_b = m.trace(A, fast=fast), m.trace(B, fast=fast)
    got = patching.patch(m, A, B, units, t, "ch", fast=fast)
    np.testing.assert_allclose(got.c[:, t:], run_a.c[:, t:], rtol=0, atol=1e-12)
    np.testing.assert_allclose(got.h[:, t:], run_a.h[:, t:], rtol=0, atol=1e-12)
    np.testing.assert_allclose(got.probs[t + 1:], run_a.probs[t + 1:], rtol=0, atol=1e-12)
    np.testing.assert_array_equal(got.c[:, :t], run_b.c[:, :t])  # before t: B's own run


def test_a_c_patch_is_a_hand_computation():
    """Patching C of unit u at step t: C_t[u] is A's, h_t = o_t tanh(C_t), and step t + 1 is the
    article's equations from that state."""
    m = word_model(L=1, H=3, seed=3)
    t, u = 1, 2
    run_a, run_b = m.trace(A), m.trace(B)
    got = patching.patch(m, A, B, [(0, u)], t, "c")
    c_t = run_b.c[0, t].copy()
    c_t[u] = run_a.c[0, t, u]
    h_t = run_b.o[0, t] * np.tanh(c_t)
    np.testing.assert_allclose(got.c[0, t], c_t, rtol=0, atol=1e-15)
    np.testing.assert_allclose(got.h[0, t], h_t, rtol=0, atol=1e-15)
    layer, H = m.layers[0], 3
    zx = layer.W[:, H:] @ m.embed(B)[2][t + 1] + layer.b
    want = lstm.step(layer.W[:, :H], zx[None], h_t[None], c_t[None])
    for k, w in zip(FIELDS, want):
        np.testing.assert_allclose(getattr(got, k)[0, t + 1], w[0], rtol=0, atol=1e-12, err_msg=k)


def test_a_ch_patch_copies_h_too():
    m = word_model(L=2, H=3, seed=4)
    run_a = m.trace(A)
    got = patching.patch(m, A, B, [(1, 0), (0, 2)], 2, "ch")
    assert got.c[1, 2, 0] == run_a.c[1, 2, 0] and got.h[1, 2, 0] == run_a.h[1, 2, 0]
    assert got.c[0, 2, 2] == run_a.c[0, 2, 2] and got.h[0, 2, 2] == run_a.h[0, 2, 2]


@pytest.mark.parametrize("fast", [True, False])
def test_ablation_equals_the_zero_clamp(fast):
    m = word_model(L=2, H=4, seed=5)
    units = [(0, 1), (1, 3)]
    clamps = [Clamp(gate="zero", layer=l, unit=u) for l, u in units]
    _same(patching.ablate(m, A, units, fast=fast), m.trace(A, clamps=clamps, fast=fast))
    part = [Clamp(gate="zero", layer=0, unit=1, t0=1, t1=2)]
    _same(patching.ablate(m, A, [(0, 1)], 1, 2, fast=fast), m.trace(A, clamps=part, fast=fast))


def test_fast_and_line_by_line_patches_agree():
    m = word_model(L=2, H=4, seed=6)
    _same(patching.patch(m, A, B, [(0, 1), (1, 2)], 1, "c", fast=True),
          patching.patch(m, A, B, [(0, 1), (1, 2)], 1, "c", fast=False), atol=1e-12)


def test_bad_patches_are_refused():
    m = word_model(L=1, H=3)
    with pytest.raises(ValueError, match="step"):
        patching.patch(m, A, B, [(0, 0)], 9)
    with pytest.raises(ValueError, match="unit"):
        patching.patch(m, A, B, [(0, 5)], 0)
    with pytest.raises(ValueError, match="what"):
        patching.patch(m, A, B, [(0, 0)], 0, "x")


def test_flip_counts_the_units_it_took():
    """flip() patches the top 1, 2, ... units and stops at the first k whose patched run has A's
    tag at the differing word: checked against patch() run directly for each k."""
    m = presets.load("beijing")
    ranking = [(0, u) for u in (5, 7, 2, 0)]  # unit 2 (the verb's memory) third
    r = patching.flip(m, A, B, ranking, what="c")
    assert (r["t"], r["at"], r["tag_a"], r["tag_b"]) == (0, 1, "destination", "departure")
    want_k = None
    for k in range(1, 5):
        run = patching.patch(m, A, B, ranking[:k], 0, "c")
        assert r["after"][k - 1] == pytest.approx(run.probs[1, 1], abs=1e-15)
        if np.argmax(run.probs[1]) == 1:
            want_k = k
            break
    assert r["k"] == want_k == 3
    assert r["before"] == pytest.approx(m.trace(B).probs[1, 1], abs=1e-15)
