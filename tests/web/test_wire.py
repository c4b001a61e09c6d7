"""End to end: the Wire tab (web/panels/wire.py, web/features/wire.js) against native pysim
(pysim.handwired, which the tab's worker runs): the preset from first paint, a weight control
retraced, two units, window.pysim.wire, the preset button, bad input vectors said in the reader's
language by the page's parser with pysim's own words, the cell in the link.

Real Chromium, Pyodide and BokehJS; every test fails on any console error, page error or dialog.
"""
from __future__ import annotations

import numpy as np
import pytest

from pysim import handwired as hw
from tests.conftest import new_page
from web.strings import text

pytestmark = pytest.mark.e2e
TOL = 1e-12
QUANTITIES = ("f", "i", "g", "c", "o", "h")


def bokeh(page, expr):
    return page.evaluate(f"(() => {{ const m = n => window.pysim.model(n); return {expr}; }})()")


def open_tab(page):
    bokeh(page, "(m('panels').active = m('panels').tabs.findIndex((p) => p.name === 'panel_wire'), 1)")


def shown(page):
    """The tab's plot data: {quantity: (T, H)} for the units the cell has, and the x column."""
    data = bokeh(page, "m('wire_steps').data")
    H = 2 if not np.isnan(np.asarray(data["f1"], float)).all() else 1
    return data, {k: np.array([data[f"{k}{u}"] for u in range(H)], float).T for k in QUANTITIES}


def same_as_native(page, weights, inputs):
    data, got = shown(page)
    want = hw.wire(weights, inputs)
    assert data["x"] == hw.format_inputs(want["x"]).split(" ")
    for k in QUANTITIES:
        assert got[k].shape == want[k].shape, k
        np.testing.assert_allclose(got[k], want[k], rtol=0, atol=TOL, err_msg=k)
    return want


def wait_changed(page, column, row, old):
    page.wait_for_function(
        "([c, r, old]) => { const v = window.pysim.model('wire_steps').data[c]; "
        "return v.length <= r || v[r] !== old; }", arg=[column, row, old])


def preset_weights():
    return {k: [list(r) for r in v] if k.startswith("W") else list(v) for k, v in hw.PRESET.items()}


def test_the_tab_shows_the_lectures_cell_from_first_paint(page):
    open_tab(page)
    same_as_native(page, hw.PRESET, hw.PRESET_INPUTS)
    table = bokeh(page, "m('wire_table').text")
    assert "0.6713" in table and "0.5858" in table  # C = tanh(.3) + tanh(.4), read out as tanh(C)
    assert bokeh(page, "m('wire_inputs').value") == hw.PRESET_INPUTS
    # the grid: W_f's x2 weight is 100, the bias column 10; unit 2 and x4 are hidden
    assert bokeh(page, "[m('wire_w_f0_3').value, m('wire_w_f0_6').value, m('wire_row_f1').visible,"
                       " m('wire_w_f0_5').visible, m('wire_w_f0_1').visible]") == [100, 10, False,
                                                                                   False, False]


def test_changing_a_weight_control_retraces_as_native_pysim(page):
    open_tab(page)
    page.evaluate("window.pysim.wire({preset: true})")
    old = bokeh(page, "m('wire_steps').data.c0[1]")
    bokeh(page, "(m('wire_w_C0_2').value = 1, 1)")        # W_C's x1 weight: 0.1 -> 1
    wait_changed(page, "c0", 1, old)
    w = preset_weights()
    w["W_C"][0][1] = 1.0
    want = same_as_native(page, w, hw.PRESET_INPUTS)
    assert want["c"][1, 0] == pytest.approx(np.tanh(3) + np.tanh(4))  # tanh saturates: 1.994, not 7
    old = bokeh(page, "m('wire_steps').data.o0[0]")
    bokeh(page, "(m('wire_w_o0_6').value = 2.5, 1)")        # the bias b_o
    wait_changed(page, "o0", 0, old)
    w["b_o"][0] = 2.5
    same_as_native(page, w, hw.PRESET_INPUTS)
    assert f"{hw.wire(w, hw.PRESET_INPUTS)['h'][3, 0]:.4f}" in bokeh(page, "m('wire_table').text")


def test_two_units_and_a_recurrent_weight(page):
    open_tab(page)
    page.evaluate("window.pysim.wire({preset: true})")
    bokeh(page, "(m('wire_units').value = '2', 1)")
    page.wait_for_function("!window.pysim.model('wire_steps').data.f1.some(Number.isNaN)")
    w = hw.weights(hw.PRESET)
    two = {k: np.zeros((2, 5)) if k.startswith("W") else np.zeros(2) for k in hw.NAMES}
    for k in hw.NAMES:                                      # unit 1 as before, unit 2 all zero
        if k.startswith("W"):
            two[k][0, 0], two[k][0, 2:] = w[k][0, 0], w[k][0, 1:]
        else:
            two[k][0] = w[k][0]
    same_as_native(page, two, hw.PRESET_INPUTS)
    assert bokeh(page, "[m('wire_row_i1').visible, m('wire_w_i1_0').visible, m('wire_w_i1_1').visible]") == [True] * 3
    old = bokeh(page, "m('wire_steps').data.i1[1]")
    bokeh(page, "(m('wire_w_i1_0').value = -3, 1)")          # unit 2's input gate reads h_{t-1} of unit 1
    wait_changed(page, "i1", 1, old)
    two["W_i"][1, 0] = -3
    same_as_native(page, two, hw.PRESET_INPUTS)


def test_pysim_wire_resolves_what_the_tab_shows(page):
    rng = np.random.default_rng(7)
    w = {f"W_{k}": rng.normal(0, 1.5, (2, 4)).tolist() for k in hw.GATES}
    w |= {f"b_{k}": rng.normal(0, 1, 2).tolist() for k in hw.GATES}
    x = rng.normal(0, 2, (6, 2)).tolist()
    got = page.evaluate("([w, x]) => window.pysim.wire({weights: w, inputs: x})", [w, x])
    want = same_as_native(page, w, hw.format_inputs(x))
    assert (got["T"], got["H"], got["D"]) == (6, 2, 2) and got["weights"] == w
    for k in QUANTITIES:
        np.testing.assert_allclose(got[k], want[k], rtol=0, atol=TOL)
    np.testing.assert_array_equal(got["x"], x)
    assert bokeh(page, "m('wire_w_o1_3').value") == w["W_o"][1][3]   # x2 of unit 2's output gate: column H + 1
    assert bokeh(page, "m('wire_w_o1_6').value") == w["b_o"][1]
    assert got["ms"]["total"] > 0


def test_the_preset_button(page):
    open_tab(page)
    page.evaluate("window.pysim.wire({inputs: '[1] [2]', units: 1})")
    bokeh(page, "(m('wire_preset').trigger_event(new (window.Bokeh.require('core/bokeh_events')"
                ".ButtonClick)()), 1)")
    page.wait_for_function("window.pysim.model('wire_steps').data.t.length === 7")
    same_as_native(page, hw.PRESET, hw.PRESET_INPUTS)
    assert bokeh(page, "m('wire_inputs').value") == hw.PRESET_INPUTS


BAD = ["", "3,1,0", "[3,1", "[1] [[2]]", "[3,a,0]", "[1,2] [1e999,0]", "[1] []", "[1,2] [1]",
       "[1,2,3,4,5]", "[1] " * 41]


def test_bad_vectors_are_said_with_pysims_words_and_the_trace_stays(page):
    open_tab(page)
    page.evaluate("window.pysim.wire({preset: true})")
    before = bokeh(page, "m('wire_steps').data")
    for bad in BAD:
        with pytest.raises(ValueError) as native:
            hw.parse_inputs(bad)
        got = page.evaluate("t => window.pysim.wire({inputs: t}).then(() => 'ok', (e) => e.message)",
                            bad)
        assert got == str(native.value), bad
    bokeh(page, "(m('wire_inputs').value_input = '[3,1,0] [4,x,0]', 1)")  # as typed
    want = text("en", "wire.err.number", n=2, s="x") + " " + text("en", "wire.kept")
    page.wait_for_function("w => window.pysim.model('wire_msg').text === w", arg=want)
    assert bokeh(page, "m('wire_steps').data") == before


def test_the_cell_lives_in_the_link_and_in_chinese(page, browser, server):
    open_tab(page)
    page.evaluate("window.pysim.wire({preset: true})")
    assert "wire=" not in page.evaluate("window.pysim.url()")  # the preset: left out
    got = page.evaluate("window.pysim.wire({inputs: '[3,1,0] [4,1,0] [1,0,1]', units: 2})")
    w = got["weights"]
    w["W_f"][1][0] = 0.25
    page.evaluate("w => window.pysim.wire({weights: w})", w)
    url = page.evaluate("window.pysim.url()")
    assert "wire=2_" in url
    other = new_page(browser)
    try:
        other.goto(url + "&lang=zh")
        other.evaluate("window.pysim.ready")
        assert bokeh(other, "m('panels').tabs[m('panels').active].name") == "panel_wire"
        same_as_native(other, w, "[3,1,0] [4,1,0] [1,0,1]")
        bokeh(other, "(m('wire_inputs').value_input = '[3,1,0] [4,1]', 1)")
        want = text("zh", "wire.err.ragged", n=2, k=2, d=3) + " " + text("zh", "wire.kept")
        other.wait_for_function("w => window.pysim.model('wire_msg').text === w", arg=want)
        assert bokeh(other, "m('wire_note').text") == text("zh", "wire.note")
        other.watch.check()
    finally:
        other.context.close()
