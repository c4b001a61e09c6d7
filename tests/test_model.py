"""Unit tests of the forward pass (issue 2) and of backprop through time (issue 3)."""
import math

import numpy as np
import pytest

from pysim.model import Clamp, Config, Layer, Model
from pysim import lstm
from tests.helpers import word_model


# ---- shapes -------------------------------------------------------------------

@pytest.mark.parametrize("L", [1, 2])
def test_shapes(L):
    m = word_model(L=L, H=5, D=3)
    tr = m.trace("arrive Beijing on November 2nd")
    for name in "figoch":
        assert getattr(tr, name).shape == (L, 5, 5), name
    assert tr.probs.shape == (5, 3)
    assert tr.x.shape == (5, 3)
    h, c = tr.final_state()
    assert h.shape == c.shape == (L, 5)
    np.testing.assert_allclose(tr.probs.sum(axis=1), 1.0, rtol=0, atol=1e-12)


def test_vector_input_shapes():
    m = Model.random(Config(input_size=2, hidden_size=3, num_layers=2), seed=1)
    tr = m.trace(np.zeros((7, 2)))
    assert tr.f.shape == (2, 7, 3) and tr.probs is None
    assert tr.tokens[:2] == ["x0", "x1"]


# ---- a 1-unit, 2-step example worked out by hand with plain math ------------------

def sig(v):
    return 1.0 / (1.0 + math.exp(-v))


@pytest.mark.parametrize("fast", [True, False])
def test_one_unit_two_steps_by_hand(fast):
    # weights per gate: (w_h, w_x, b) for the concatenation [h_{t-1}, x_t]
    wf, wi, wg, wo = (0.5, -0.3, 0.1), (-0.7, 0.8, 0.2), (0.9, 0.4, -0.5), (0.3, -0.6, 0.05)
    xs = [1.5, -2.0]
    h, c = 0.0, 0.0
    expect = []
    for x in xs:
        f = sig(wf[0] * h + wf[1] * x + wf[2])
        i = sig(wi[0] * h + wi[1] * x + wi[2])
        g = math.tanh(wg[0] * h + wg[1] * x + wg[2])
        o = sig(wo[0] * h + wo[1] * x + wo[2])
        c = f * c + i * g
        h = o * math.tanh(c)
        expect.append((f, i, g, o, c, h))
    W = np.array([[w[0], w[1]] for w in (wf, wi, wg, wo)])   # (4, 2) = (4H, H + D)
    b = np.array([w[2] for w in (wf, wi, wg, wo)])
    m = Model(Config(input_size=1, hidden_size=1), [Layer(W, b)])
    tr = m.trace(np.array([[xs[0]], [xs[1]]]), fast=fast)
    for t in range(2):
        got = [getattr(tr, n)[0, t, 0] for n in "figoch"]
        for name, e, g_ in zip("figoch", expect[t], got):
            assert abs(e - g_) <= 1e-12, (t, name, e, g_)
    # step 1 by hand, in numbers (a reader can check these with a calculator)
    assert abs(expect[0][4] - expect[0][1] * expect[0][2]) < 1e-15  # C_0 = i_0 g_0 since C_{-1} = 0


# ---- gates, seeds, clamps ------------------------------------------------------------

def test_gates_in_unit_interval_even_for_huge_weights():
    m = word_model(L=2, H=6, D=4)
    for layer in m.layers:
        layer.W *= 1e3
    tr = m.trace("arrive Beijing on November 2nd leave Beijing")
    for name in "fio":
        a = getattr(tr, name)
        assert np.all((a >= 0) & (a <= 1)) and np.all(np.isfinite(a))
    assert np.all(np.abs(tr.g) <= 1) and np.all(np.abs(tr.h) <= 1)


def test_reproducible_with_seed():
    a, b, c = word_model(L=1, seed=7), word_model(L=1, seed=7), word_model(L=1, seed=8)
    ta, tb, tc = (m.trace("leave Beijing on November 2nd") for m in (a, b, c))
    assert np.array_equal(ta.h, tb.h) and np.array_equal(ta.probs, tb.probs)
    assert not np.array_equal(ta.h, tc.h)


def test_forget_clamped_to_zero_cell_is_i_times_g():
    m = word_model(L=2, H=4)
    text = "arrive Beijing on November 2nd"
    tr = m.trace(text, clamps=[Clamp("f", 0.0, layer=0, t0=2, t1=2)])
    assert np.array_equal(tr.c[0, 2], tr.i[0, 2] * tr.g[0, 2])
    assert np.all(tr.f[0, 2] == 0.0)
    free = m.trace(text)
    assert np.array_equal(tr.c[0, :2], free.c[0, :2])  # before the clamp nothing changes


def test_clamp_one_unit_and_zero_unit():
    m = word_model(L=1, H=4)
    text = "arrive Beijing on November 2nd"
    tr = m.trace(text, clamps=[Clamp("i", 1.0, unit=2), Clamp("o", 0.0, unit=1)])
    assert np.all(tr.i[0, :, 2] == 1.0) and np.all(tr.o[0, :, 1] == 0.0)
    assert np.all(tr.h[0, :, 1] == 0.0)
    tz = m.trace(text, clamps=[Clamp("zero", unit=3, t0=1, t1=3)])
    assert np.all(tz.c[0, 1:4, 3] == 0.0) and np.all(tz.h[0, 1:4, 3] == 0.0)
    assert tz.c[0, 4, 3] == tz.i[0, 4, 3] * tz.g[0, 4, 3]   # restarts from C = 0


def test_bad_clamps():
    with pytest.raises(ValueError, match="clamp gate"):
        Clamp("x")
    with pytest.raises(ValueError, match="0..1"):
        Clamp("f", 2.0)
    m = word_model(L=1)
    with pytest.raises(ValueError, match="layer 3"):
        m.trace("arrive", clamps=[Clamp("f", layer=3)])
    with pytest.raises(ValueError, match="unit 9"):
        m.trace("arrive", clamps=[Clamp("f", unit=9)])


# ---- bad input -------------------------------------------------------------------------

def test_wrong_vector_width():
    m = Model.random(Config(input_size=3, hidden_size=2), seed=0)
    with pytest.raises(ValueError, match=r"\(T, 3\)"):
        m.trace(np.zeros((4, 5)))


def test_word_not_in_vocab_without_unk():
    m = Model.random(Config(3, 2, vocab=["arrive", "beijing"], tags=["O", "d"]), seed=0)
    with pytest.raises(ValueError, match="'Paris' is not in the model's vocabulary and the model has no unknown-word token"):
        m.trace("arrive Paris")


def test_unknown_word_maps_to_unk_and_is_flagged():
    m = word_model(L=1)
    tr = m.trace("arrive Paris")
    assert list(tr.unknown) == [False, True]
    assert np.array_equal(tr.x[1], m.embedding[0])


def test_words_on_vector_model():
    m = Model.random(Config(3, 2), seed=0)
    with pytest.raises(ValueError, match="vectors"):
        m.trace("arrive")


def test_bad_tags():
    m = word_model(L=1)
    with pytest.raises(ValueError, match="2 tags for 3 tokens"):
        m.loss_and_grads("arrive Beijing on", ["O", "O"])
    with pytest.raises(ValueError, match="'city'"):
        m.loss_and_grads("arrive Beijing", ["O", "city"])


# ---- backward ----------------------------------------------------------------------------

def loss_of(m, tokens, y):
    tr = m.trace(tokens)
    return -np.mean(np.log(tr.probs[np.arange(len(y)), y]))


def grads_of(m, tokens, y):
    """The mean loss over one sequence and its gradients by pysim names (a batch of one)."""
    ids = m.encode(tokens)[0][None]                          # (1, T)
    return lstm.loss_and_grads(m, m.embedding[ids], np.asarray(y)[None], np.ones(ids.shape), ids)[:2]


@pytest.mark.parametrize("L", [1, 2])
def test_finite_difference_gradients(L):
    m = word_model(L=L, H=3, D=2, seed=3)
    tokens = "arrive Beijing on November 2nd leave Paris".split()
    y = np.array([0, 1, 0, 0, 0, 0, 2])
    loss, _ = m.loss_and_grads(tokens, y)
    assert abs(loss - loss_of(m, tokens, y)) < 1e-12
    loss, grads = grads_of(m, tokens, y)
    assert abs(loss - loss_of(m, tokens, y)) < 1e-12
    eps = 1e-6
    for name, p in m.parameters().items():
        num = np.zeros_like(p)
        for k in np.ndindex(p.shape):
            old = p[k]
            p[k] = old + eps
            lp = loss_of(m, tokens, y)
            p[k] = old - eps
            lm = loss_of(m, tokens, y)
            p[k] = old
            num[k] = (lp - lm) / (2 * eps)
        err = np.max(np.abs(num - grads[name])) / max(np.max(np.abs(num)), 1e-12)
        assert err < 1e-6, (name, err)


def test_grads_use_torch_names_and_order():
    m = word_model(L=2, H=3, D=2, seed=4)
    tokens = "leave Beijing on November 2nd".split()
    y = [0, 2, 0, 0, 0]
    loss, g = m.loss_and_grads(tokens, y)
    assert sorted(g) == sorted(["embedding.weight", "head.weight", "head.bias"] + [
        f"lstm.{w}_l{k}" for k in range(2) for w in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")])
    _, internal = grads_of(m, tokens, y)
    H = 3
    # PyTorch rows (i, f, g, o): the first block of weight_ih is pysim's input-gate block
    assert np.array_equal(g["lstm.weight_ih_l0"][:H], internal["W_0"][H:2 * H, H:])
    assert np.array_equal(g["lstm.weight_hh_l1"][H:2 * H], internal["W_1"][:H, :H])
    assert np.array_equal(g["lstm.bias_ih_l0"], g["lstm.bias_hh_l0"])
    assert g["lstm.weight_ih_l0"].shape == (12, 2) and g["lstm.weight_ih_l1"].shape == (12, 3)
