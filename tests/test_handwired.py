"""pysim.handwired: the lecture's hand-wired cell computed by hand (scalar math, the article's
equations written out), the memory adding up, being read out and reset; the trace equal to
pysim's Model on the same weights; the text of input vectors and its error messages."""
from __future__ import annotations

import math

import numpy as np
import pytest

from pysim import handwired as hw
from pysim.api import Session


def sig(z):
    return 1.0 / (1.0 + math.exp(-z))


def by_hand(w, xs):
    """The article's six equations for one unit, in plain floats, no numpy, no pysim."""
    W = {k: w[f"W_{k}"][0] for k in hw.GATES}
    b = {k: w[f"b_{k}"][0] for k in hw.GATES}
    h, c, rows = 0.0, 0.0, []
    for x in xs:
        hx = [h, *x]                                         # [h_{t-1}, x_t]
        z = {k: sum(a * v for a, v in zip(W[k], hx)) + b[k] for k in hw.GATES}
        f, i, g, o = sig(z["f"]), sig(z["i"]), math.tanh(z["C"]), sig(z["o"])
        c = f * c + i * g
        h = o * math.tanh(c)
        rows.append(dict(f=f, i=i, g=g, o=o, c=c, h=h))
    return rows


PRESET_X = [[3, 1, 0], [4, 1, 0], [2, 0, 0], [1, 0, 1], [3, -1, 0], [6, 1, 0], [1, 0, 1]]


def test_the_preset_is_the_lectures_cell_traced_by_hand():
    tr = hw.wire(hw.PRESET, hw.PRESET_INPUTS)
    assert (tr["T"], tr["H"], tr["D"]) == (7, 1, 3)
    np.testing.assert_array_equal(tr["x"], PRESET_X)
    for t, row in enumerate(by_hand(hw.PRESET, PRESET_X)):
        for k, v in row.items():
            assert abs(tr[k][t, 0] - v) <= 1e-15, (t, k)


def test_the_memory_adds_up_is_read_out_and_reset():
    tr = {k: v[:, 0] for k, v in hw.wire(hw.PRESET, hw.PRESET_INPUTS).items() if k in "figoch"}
    c, h = tr["c"], tr["h"]
    # write 3 then 4 (x2 = 1: input and forget gates open): C = tanh(0.3) + tanh(0.4)
    assert tr["i"][0] == tr["i"][1] == 1.0 and tr["f"][1] == 1.0
    assert c[0] == pytest.approx(math.tanh(0.3), abs=1e-15)
    assert c[1] == pytest.approx(math.tanh(0.3) + math.tanh(0.4), abs=1e-15)
    assert c[1] == pytest.approx(0.7, abs=0.03)              # the lecture's 7, x 0.1
    # x2 = 0: the 2 is not written (i = sigmoid(-10)), the memory stays (f = sigmoid(10))
    assert abs(c[2] - c[1]) < 1e-4 and tr["i"][2] == pytest.approx(sig(-10))
    # nothing is read while x3 = 0 (o = sigmoid(-10)), then x3 = 1 reads it: h = tanh(C)
    assert max(abs(h[:3])) < 1e-4
    assert tr["o"][3] == 1.0 and h[3] == pytest.approx(math.tanh(c[3]), abs=1e-15)
    assert h[3] == pytest.approx(0.5858, abs=1e-4)
    # x2 = -1: the forget gate closes and the input gate stays shut: the memory is reset
    assert tr["f"][4] < 1e-38 and tr["i"][4] < 1e-47 and abs(c[4]) < 1e-38
    # after the reset, 6 is written alone and read back: tanh(tanh(0.6)), not 7 + 6
    assert c[5] == pytest.approx(math.tanh(0.6), abs=1e-15)
    assert h[6] == pytest.approx(math.tanh(c[6]), abs=1e-15)
    assert h[6] == pytest.approx(math.tanh(math.tanh(0.6)), abs=1e-4)


def test_the_trace_is_pysims_model_on_the_same_weights():
    rng = np.random.default_rng(3)
    for H, D, T in [(1, 3, 7), (2, 3, 9), (2, 1, 5), (1, 4, 3)]:
        w = {f"W_{k}": rng.normal(0, 2, (H, H + D)).tolist() for k in hw.GATES}
        w |= {f"b_{k}": rng.normal(0, 1, H).tolist() for k in hw.GATES}
        x = rng.normal(0, 2, (T, D))
        tr = hw.trace(w, x)
        ref = hw.model(w).trace(x, fast=False)               # pysim.lstm.forward, batch of one
        for k in "figoch":
            np.testing.assert_allclose(tr[k], getattr(ref, k)[0], rtol=0, atol=1e-12)
        if H == 1:
            for t, row in enumerate(by_hand(w, x.tolist())):
                assert all(abs(tr[k][t, 0] - v) <= 1e-13 for k, v in row.items())


def test_a_recurrent_weight_feeds_h_back():
    w = {k: [list(v) for v in vals] if k.startswith("W") else list(vals)
         for k, vals in hw.PRESET.items()}
    w["W_C"][0][0] = 5.0                                     # C~ also reads h_{t-1}
    xs = PRESET_X[:4]
    tr = hw.wire(w, xs)
    for t, row in enumerate(by_hand(w, xs)):
        assert abs(tr["g"][t, 0] - row["g"]) <= 1e-15
    assert tr["g"][1, 0] != hw.wire(hw.PRESET, xs)["g"][1, 0]


def test_parse_and_format_inputs():
    x = hw.parse_inputs(" [3, 1,0]\n[4 1 0],[-2.5,1e-3,+.5] ")
    np.testing.assert_array_equal(x, [[3, 1, 0], [4, 1, 0], [-2.5, 1e-3, 0.5]])
    assert hw.format_inputs(x) == "[3,1,0] [4,1,0] [-2.5,0.001,0.5]"
    assert np.array_equal(hw.parse_inputs(hw.format_inputs([[1 / 3, 2.0]])), [[1 / 3, 2.0]])


@pytest.mark.parametrize("text, message", [
    ("", "Type at least one input vector"),
    ("  ", "Type at least one input vector"),
    ("3,1,0", "\u201c3,1,0\u201d is outside any [ ]"),
    ("[1] x", "\u201cx\u201d is outside any [ ]"),
    ("[3,1", "vector 1: a \u201c[\u201d is not closed"),
    ("[1] [[2]]", "vector 2: a \u201c[\u201d is not closed"),
    ("[3,a,0]", "vector 1: \u201ca\u201d is not a number"),
    ("[1,2] [1e999,0]", "vector 2: \u201c1e999\u201d is not a number"),
    ("[1] []", "vector 2 is empty"),
    ("[1,2] [1]", "vector 2 has 1 numbers and vector 1 2: every x_t needs the same length"),
    ("[1,2,3,4,5]", "vector 1 has 5 numbers: at most 4 inputs"),
    ("[1] " * 41, "more than 40 vectors"),
])
def test_bad_input_vectors_say_what_is_wrong(text, message):
    with pytest.raises(ValueError, match=None) as e:
        hw.parse_inputs(text)
    assert str(e.value).startswith(message), str(e.value)


def test_bad_weights_say_what_is_wrong():
    w = dict(hw.PRESET)
    with pytest.raises(ValueError, match="lack b_o"):
        hw.weights({k: v for k, v in w.items() if k != "b_o"})
    with pytest.raises(ValueError, match=r"W_i is \[1, 3\]: it must be \[1, 4\]"):
        hw.weights(w | {"W_i": [[0, 0, 1]]})
    with pytest.raises(ValueError, match="finite"):
        hw.weights(w | {"b_C": [float("nan")]})
    with pytest.raises(ValueError, match="x_t of 3 numbers, the input vectors have 2"):
        hw.wire(w, "[1,2]")
    with pytest.raises(ValueError, match="1 to 2 numbers"):
        hw.weights(w | {"b_f": [0, 0, 0]})


def test_the_session_wires_without_touching_the_model():
    s = Session()
    before = s.info()
    out = s.wire(hw.PRESET, PRESET_X)
    assert out["inputs"] == hw.PRESET_INPUTS and s.info() == before
    np.testing.assert_array_equal(out["c"], hw.wire(hw.PRESET, hw.PRESET_INPUTS)["c"])
