"""Property tests (hypothesis): invariants of the forward pass for any weights and inputs."""
import numpy as np
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from pysim.model import Config, Model

FAST = settings(max_examples=40, deadline=None)


@st.composite
def model_and_inputs(draw, max_T=30):
    D = draw(st.integers(1, 5))
    H = draw(st.integers(1, 6))
    L = draw(st.integers(1, 2))
    T = draw(st.integers(0, max_T))
    seed = draw(st.integers(0, 2**32 - 1))
    scale = draw(st.sampled_from([0.1, 1.0, 5.0, 50.0]))
    m = Model.random(Config(D, H, L, tags=["a", "b"]), seed=seed, scale=scale)
    x = draw(arrays(np.float64, (T, D), elements=st.floats(-100, 100, allow_nan=False)))
    c0 = draw(arrays(np.float64, (L, H), elements=st.floats(-10, 10, allow_nan=False)))
    h0 = draw(arrays(np.float64, (L, H), elements=st.floats(-1, 1, allow_nan=False)))
    return m, x, h0, c0


@FAST
@given(model_and_inputs())
def test_gates_in_unit_interval_and_h_bounded(case):
    m, x, h0, c0 = case
    tr = m.trace(x, h0=h0, c0=c0)
    for name in "fio":
        a = getattr(tr, name)
        assert np.all((a >= 0) & (a <= 1))
    assert np.all(np.abs(tr.g) <= 1)
    assert np.all(np.abs(tr.h) < 1) or np.all(np.abs(tr.h) <= 1)  # tanh may round to 1.0
    assert np.all(np.abs(tr.h) <= 1)
    if tr.probs is not None and tr.T:
        np.testing.assert_allclose(tr.probs.sum(axis=1), 1.0, atol=1e-12)


@FAST
@given(model_and_inputs())
def test_h_strictly_inside_for_moderate_cells(case):
    m, x, h0, c0 = case
    tr = m.trace(x, h0=h0, c0=c0)
    moderate = np.abs(tr.c) < 15  # tanh(15) < 1 - 1e-12: no rounding to 1 there
    assert np.all(np.abs(tr.h[moderate]) < 1)


@FAST
@given(model_and_inputs())
def test_cell_grows_at_most_one_per_step(case):
    m, x, h0, c0 = case
    tr = m.trace(x, h0=h0, c0=c0)
    t = np.arange(1, tr.T + 1)[None, :, None]  # after step t (0-based) at most t + 1 additions
    assert np.all(np.abs(tr.c) <= np.abs(c0)[:, None, :] + t + 1e-12)


@FAST
@given(model_and_inputs(), st.data())
def test_trace_does_not_depend_on_how_the_sequence_is_split(case, data):
    m, x, h0, c0 = case
    T = len(x)
    whole = m.trace(x, h0=h0, c0=c0)
    cuts = sorted(data.draw(st.lists(st.integers(0, T), max_size=3)))
    parts, h, c, start = [], h0, c0, 0
    for end in cuts + [T]:
        tr = m.trace(x[start:end], h0=h, c0=c)
        parts.append(tr)
        h, c = tr.final_state()
        start = end
    for name in "figoch":
        joined = np.concatenate([getattr(p, name) for p in parts], axis=1)
        assert np.array_equal(joined, getattr(whole, name)), name
    hT, cT = whole.final_state()
    assert np.array_equal(h, hT) and np.array_equal(c, cT)


# ---- Model.trace is the fast twin of the article's equations (pysim.lstm) --------------------

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
    from pysim.model import Clamp
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
    from pysim import lstm
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
