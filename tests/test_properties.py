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
