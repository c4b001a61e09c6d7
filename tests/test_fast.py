"""The fast twin (pysim.fast, what Model.trace runs) is the article's equations (pysim.lstm):
Model.trace and Model.trace(fast=False) (pysim.lstm.forward) agree to 1e-12 on random models
(hypothesis) and on every shape the tests and the page use, clamps included, and every fast
step is pysim.lstm.step for any weights."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from pysim import lstm
from pysim.model import Clamp, Config, Model
from tests.helpers import word_model

TWIN_TOL = 1e-12
WORDS = ["<unk>", "arrive", "leave", "Beijing", "on", "November", "2nd"]


def assert_twins(m, inputs, **kw):
    """Model.trace (fast) and Model.trace(fast=False) (pysim.lstm.forward) agree to 1e-12."""
    fast, slow = m.trace(inputs, **kw), m.trace(inputs, fast=False, **kw)
    for name in "figochx":
        a, b = getattr(fast, name), getattr(slow, name)
        assert a.shape == b.shape, name
        scale = np.maximum(1.0, np.abs(b)) if name == "c" else 1.0  # C grows by up to 1 a step
        assert np.all(np.abs(a - b) <= TWIN_TOL * scale), (name, float(np.max(np.abs(a - b))))
    if fast.probs is not None:
        assert np.max(np.abs(fast.probs - slow.probs), initial=0.0) <= TWIN_TOL
        assert np.max(np.abs(fast.logits - slow.logits), initial=0.0) <= TWIN_TOL * max(
            1.0, np.max(np.abs(slow.logits), initial=0.0))
    return fast, slow


@st.composite
def clamps(draw, L, T, H):
    out = []
    for _ in range(draw(st.integers(0, 3))):
        gate = draw(st.sampled_from(["f", "i", "o", "zero"]))
        t0 = draw(st.integers(0, max(T, 1)))
        out.append(Clamp(gate, 0.0 if gate == "zero" else draw(st.floats(0, 1)),
                         layer=draw(st.integers(0, L - 1)),
                         unit=draw(st.one_of(st.none(), st.integers(0, H - 1))),
                         t0=t0, t1=draw(st.integers(t0, t0 + T + 1))))
    return out


@st.composite
def twin_case(draw, max_T=40, scales=(None, 0.1, 1.0)):
    D = draw(st.integers(1, 6))
    H = draw(st.one_of(st.integers(1, 8), st.sampled_from([12, 32, 64])))
    L = draw(st.integers(1, 3))
    T = draw(st.integers(0, max_T))
    words = draw(st.booleans())
    head = draw(st.booleans())
    seed = draw(st.integers(0, 2**32 - 1))
    scale = draw(st.sampled_from(scales))  # None: PyTorch's init, U(-1/sqrt(H), 1/sqrt(H))
    m = Model.random(Config(D, H, L, vocab=WORDS if words else None,
                            tags=["a", "b", "c"] if head else None), seed=seed, scale=scale)
    if words:
        inputs = draw(st.lists(st.sampled_from(WORDS[1:] + ["Paris"]), max_size=max_T))
        T = len(inputs)
    else:
        inputs = draw(arrays(np.float64, (T, D), elements=st.floats(-100, 100, allow_nan=False)))
    c0 = draw(arrays(np.float64, (L, H), elements=st.floats(-10, 10, allow_nan=False)))
    h0 = draw(arrays(np.float64, (L, H), elements=st.floats(-1, 1, allow_nan=False)))
    return m, inputs, h0, c0, draw(clamps(L, T, H))


@settings(max_examples=150, deadline=None)
@given(twin_case())
def test_fast_trace_is_the_twin_of_the_equations(case):
    """Whole sequences agree to 1e-12 for weights of PyTorch's init scale and up to 1 (the
    presets', the fixtures'). With larger weights an LSTM can be chaotic: two correct orders of
    summation then drift apart over the steps, so there the next test compares step by step."""
    m, inputs, h0, c0, cl = case
    fast, slow = assert_twins(m, inputs, h0=h0, c0=c0, clamps=cl)
    for name in "fio":  # clamped units hold their value on both paths
        for c in cl:
            if c.gate == name:
                units = slice(None) if c.unit is None else c.unit
                assert np.array_equal(getattr(fast, name)[c.layer, c.t0:c.t1 + 1, units],
                                      getattr(slow, name)[c.layer, c.t0:c.t1 + 1, units])


@settings(max_examples=150, deadline=None)
@given(twin_case(scales=(None, 0.1, 1.0, 5.0, 50.0, 1e3)))
def test_every_fast_step_is_the_equations_step(case):
    """Any weights, saturated too: every step of Model.trace, recomputed by pysim.lstm.step from
    the trace's own h_{t-1}, C_{t-1} and x_t, agrees to 1e-12 times the size of the terms summed
    into the gates' pre-activations (rounding: |W| . |[h_{t-1}, x_t]| + |b|)."""
    m, inputs, h0, c0, _ = case
    tr = m.trace(inputs, h0=h0, c0=c0)
    H = m.config.hidden_size
    for l, layer in enumerate(m.layers):
        inp = tr.x if l == 0 else tr.h[l - 1]                          # (T, D)
        h_prev = np.concatenate([tr.h0[l][None], tr.h[l]])[:tr.T]     # (T, H) h_{t-1}
        c_prev = np.concatenate([tr.c0[l][None], tr.c[l]])[:tr.T]     # (T, H) C_{t-1}
        zx = inp @ layer.W[:, H:].T + layer.b                          # (T, 4H)
        got = lstm.step(layer.W[:, :H], zx, h_prev, c_prev)           # the T steps as a batch
        size = np.abs(np.concatenate([h_prev, inp], axis=1)) @ np.abs(layer.W).T + np.abs(layer.b)
        tol = 1e-12 * np.maximum(1.0, size.max(axis=1, keepdims=True))  # (T, 1)
        for name, want in zip("figoch", got):
            err = np.abs(getattr(tr, name)[l] - want)
            if name in "ch":  # C_t = f C_{t-1} + i g: the gates' errors scaled by |C_{t-1}|
                err /= np.maximum(1.0, np.abs(c_prev).max(axis=1, keepdims=True))
            assert np.all(err <= tol), (name, l, float(err.max()))


# ---- the shapes the tests and the page use ------------------------------------------------

def twin_models():
    """Every shape the tests and the page use: the presets, the PyTorch fixtures, the benchmark
    sizes (H = 32, 128 at T = 200), deep stacks, saturated weights."""
    from pysim import presets
    from tests.test_torch_reference import CASES, fixture
    from benchmarks.pybench import make_model, make_text
    for name in presets.NAMES:
        yield name, presets.load(name), presets.default_text(name)
    for case in CASES:
        m, inputs, _, _ = fixture(case)
        yield f"torch-{case}", m, inputs
    for H in (32, 128):
        yield f"bench-H{H}", make_model(H), make_text(200)
    yield "deep", word_model(L=3, H=7, D=5, seed=9), "arrive Beijing on November 2nd " * 8
    sat = word_model(L=2, H=6, D=4, seed=10)
    for layer in sat.layers:
        layer.W *= 1e3
    yield "saturated", sat, "arrive Beijing on November 2nd leave Beijing"


TWINS = list(twin_models())


@pytest.mark.parametrize("k", range(len(TWINS)), ids=[name for name, _, _ in TWINS])
def test_fast_trace_agrees_with_the_equations(k):
    _, m, inputs = TWINS[k]
    L, H = m.config.num_layers, m.config.hidden_size
    assert_twins(m, inputs)
    rng = np.random.default_rng(1)
    h0, c0 = rng.uniform(-1, 1, (L, H)), rng.uniform(-3, 3, (L, H))
    assert_twins(m, inputs, h0=h0, c0=c0,
                 clamps=[Clamp("f", 0.0, t0=1, t1=2), Clamp("i", 1.0, layer=L - 1, unit=H - 1),
                         Clamp("o", 0.25, unit=0, t0=3), Clamp("zero", layer=L - 1, unit=0, t0=2, t1=4)])
