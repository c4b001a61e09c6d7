"""End to end: the cell diagram, interventions, URL state (share), embedding, keyboard and labels.

Real Chromium, Pyodide and BokehJS; every test fails on any console error, page error or dialog.
"""
from __future__ import annotations

import numpy as np
import pytest

from pysim import api, presets
from tests.conftest import new_page

pytestmark = pytest.mark.e2e
TOL = 1e-12


def bokeh(page, expr):
    return page.evaluate(f"(() => {{ const m = n => window.pysim.model(n); return {expr}; }})()")


def native(text, preset="beijing", clamps=None):
    return api.trace_json(presets.load(preset), text, clamps)


def close(got, want, tol=TOL):
    np.testing.assert_allclose(np.asarray(got, float), np.asarray(want, float), rtol=tol, atol=tol)


def equations(page):
    """The cell diagram's equations with numbers (text in an HTML overlay of their plot)."""
    return page.locator("[data-overlay=diagram_eq]").text_content()


def test_cell_diagram_shows_the_selected_unit_and_step(page):
    text = "leave Beijing on November 2nd"
    page.evaluate("t => window.pysim.setText(t)", text)
    page.evaluate("window.pysim.setUnit(3)")
    page.evaluate("window.pysim.seek(2)")
    s = page.evaluate("window.pysim.state()")
    L0 = s["layers"][0]
    f, i, g, o, c, h = (L0[k][2][3] for k in "figoch")
    c_prev = L0["c"][1][3]
    eq = equations(page)
    num = lambda x: ("\u2212" if x < 0 else "") + f"{abs(x):.2f}"
    assert 'step t = 2, word \u201con\u201d, unit 3' in eq
    assert f"= {num(f)} \u00d7 {num(c_prev)} + {num(i)} \u00d7 {num(g)}" in eq
    assert eq.count(f"= {num(c)}") >= 1 and f"{num(o)} \u00d7 tanh({num(c)})" in eq
    assert f"= {num(h)}" in eq
    # the valves open as far as the gates: heights f, i, o (x 1.6) and |C~| x 0.8
    heights = bokeh(page, "Array.from(m('diagram_gauges').data.height)")
    close(heights, [f * 1.6, i * 1.6, o * 1.6, abs(g) * 0.8])
    assert "unit 3" in bokeh(page, "m('diagram_fig').title.text")
    page.evaluate("window.pysim.step(1)")  # follows the step
    assert 'step t = 3, word \u201cNovember\u201d' in equations(page)


def test_the_diagram_draws_each_quantity_in_the_unit_plots_colour(page):
    """The colours BokehJS holds, as drawn: the unit plot's lines (web/page.py) and the cell
    diagram's flows and valves (web/features/diagram.js, from the boot data's constants)."""
    page.evaluate("window.pysim.setText('arrive Beijing on November 2nd')")
    lines = bokeh(page, """Object.fromEntries(m('unit_fig').renderers
        .filter(r => r.name !== 'unit_dots' && r.glyph.y && r.glyph.y.field)
        .map(r => [r.glyph.y.field, r.glyph.line_color.value]))""")
    assert set(lines) == set("fioch")
    flows = bokeh(page, "m('diagram_flows').data.colour")
    # C_{t-1} in, kept, C_t out, f, i, C~, i x C~, to tanh, tanh(C), o, h_t out
    assert flows == [lines["c"]] * 3 + [lines["f"], lines["i"], flows[5], lines["i"]] \
        + [lines["c"]] * 2 + [lines["o"], lines["h"]]
    assert flows[5] not in lines.values()  # C~ has a colour of its own
    assert bokeh(page, "m('diagram_gauges').data.colour") == [lines["f"], lines["i"], lines["o"], flows[5]]


def test_forget_gate_clamped_to_zero_wipes_the_memory(page):
    text = "arrive Beijing on November 2nd"
    clamps = [{"gate": "f", "value": 0, "unit": None, "t0": 2, "t1": 2}]
    page.evaluate("t => window.pysim.setText(t)", text)
    page.evaluate("c => window.pysim.setClamps(c)", clamps)
    s = page.evaluate("window.pysim.state()")
    L0 = s["layers"][0]
    assert L0["f"][2] == [0.0] * len(L0["f"][2])
    # C_t = 0 * C_{t-1} + i_t * C~_t: exactly i_t * C~_t
    assert L0["c"][2] == [a * b for a, b in zip(L0["i"][2], L0["g"][2])]
    ref = native(text, clamps=clamps)
    for k in "figoch":
        close(L0[k], ref["layers"][0][k])
    close(s["probs"], ref["probs"])
    # the comparison shows with - without, against the unclamped native run
    base = native(text)
    dc = np.array(bokeh(page, "Array.from(m('clamp_cells').data.dc)")).reshape(5, -1)
    close(dc, np.array(ref["layers"][0]["c"]) - np.array(base["layers"][0]["c"]))
    assert np.all(dc[:2] == 0) and np.abs(dc[2]).max() > 0
    assert "forget gate f = 0.00 for all units at step 2" in bokeh(page, "m('clamp_list').text")
    page.evaluate("window.pysim.seek(2)")
    assert "(clamped)" in equations(page).splitlines()[2]  # the f_t line


def test_silencing_a_unit_and_clearing_clamps(page):
    text = "leave Beijing on November 2nd"
    page.evaluate("t => window.pysim.setText(t)", text)
    page.evaluate("window.pysim.setClamps([{gate: 'zero', unit: 4, t0: 0, t1: 4}])")
    s = page.evaluate("window.pysim.state()")
    assert all(row[4] == 0.0 for row in s["layers"][0]["c"])
    assert all(row[4] == 0.0 for row in s["layers"][0]["h"])
    page.evaluate("window.pysim.clearClamps()")
    s = page.evaluate("window.pysim.state()")
    assert s["clamps"] == []
    close(s["layers"][0]["c"], native(text)["layers"][0]["c"])


def test_clamp_widgets(page):
    page.evaluate("window.pysim.setText('arrive Beijing on November 2nd')")
    bokeh(page, "(m('panels').active = 1, 1)")  # the Intervene tab
    page.get_by_role("button", name="Add clamp").click()
    page.wait_for_function("window.pysim.state().clamps.length === 1")
    s = page.evaluate("window.pysim.state()")
    assert s["clamps"][0]["gate"] == "f" and s["clamps"][0]["value"] == 0
    assert all(v == 0.0 for row in s["layers"][0]["f"] for v in row)
    page.get_by_role("button", name="Clear all clamps").click()
    page.wait_for_function("window.pysim.state().clamps.length === 0")
    bad = page.evaluate("window.pysim.setClamps([{gate: 'f', value: 2}]).then(() => 'ok', e => e.message)")
    assert "0..1" in bad and page.evaluate("window.pysim.state().clamps") == []
    bad = page.evaluate("window.pysim.setClamps([{gate: 'f', value: 0, unit: 99, t0: 0, t1: 1}]).then(() => 'ok', e => e.message)")
    assert "unit 99" in bad and page.evaluate("window.pysim.state().clamps") == []
    assert "unit 99" in page.inner_text("#pysim-message")


def test_comparison_is_drawn_when_its_tab_opens(page):
    """Without clamps the Intervene comparison is only redrawn while its tab is open (it cost a
    retrace ~20 ms at T=200, H=128); opening the tab draws the trace on screen."""
    bokeh(page, "(m('panels').active = 0, 1)")  # the Cell diagram tab
    page.evaluate("window.pysim.setText('leave Beijing on November 2nd')")
    before = bokeh(page, "Array.from(m('clamp_cells').data.t)")
    page.evaluate("window.pysim.setText('arrive Beijing')")
    assert bokeh(page, "Array.from(m('clamp_cells').data.t)") == before  # left alone
    bokeh(page, "(m('panels').active = 1, 1)")  # the Intervene tab
    d = bokeh(page, "Object.fromEntries(['t', 'unit', 'c', 'dc', 'h'].map("
                    "k => [k, Array.from(m('clamp_cells').data[k])]))")
    ref = native("arrive Beijing")["layers"][0]
    H = len(ref["c"][0])
    assert d["t"] == [t for t in range(2) for _ in range(H)]
    assert d["unit"] == list(range(H)) * 2
    close(np.reshape(d["c"], (2, H)), ref["c"])
    close(np.reshape(d["h"], (2, H)), ref["h"])
    assert d["dc"] == [0.0] * (2 * H)  # no clamps: nothing differs
    bokeh(page, "(m('panels').active = 0, 1)")


def test_url_restores_the_exact_state(page, browser):
    page.evaluate("window.pysim.setPreset('memory')")
    page.evaluate("window.pysim.setText('B x y z <b>x</b> ?')")
    page.evaluate("window.pysim.setClamps([{gate: 'i', value: 0.5, unit: 1, t0: 2, t1: 3}])")
    page.evaluate("window.pysim.seek(2)")
    page.evaluate("window.pysim.setUnit(2)")
    bokeh(page, "(m('panels').active = 1, m('speed').value = 5, 1)")
    page.wait_for_function("location.search.includes('tab=Intervene') && location.search.includes('speed=5')")
    url = page.evaluate("location.href")
    assert url == page.evaluate("window.pysim.url()")
    before = page.evaluate("window.pysim.state()")
    other = new_page(browser)
    try:
        other.goto(url)
        other.evaluate("window.pysim.ready")
        after = other.evaluate("window.pysim.state()")
        assert after == before
        assert bokeh(other, "[m('panels').active, m('speed').value]") == [1, 5]
        other.watch.check()
    finally:
        other.context.close()
    page.evaluate("window.pysim.clearClamps()")
    page.evaluate("window.pysim.setPreset('beijing')")


def test_hostile_text_in_the_url_stays_text(browser, server):
    other = new_page(browser)
    try:
        other.goto(server + "?text=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E+%22%3E%3Cscript%3Ealert(2)%3C/script%3E")
        other.evaluate("window.pysim.ready")
        assert other.evaluate("window.pysim.state().tokens") == [
            "<img", "src=x", "onerror=alert(1)>", '"><script>alert(2)</script>']
        assert other.evaluate("document.querySelectorAll('img, #pysim-root script').length") == 0
        other.watch.check()  # a dialog would have been recorded
    finally:
        other.context.close()


def test_two_embeds_on_one_page_are_independent(browser, server, site):
    (site[0] / "two-embeds.html").write_text(
        "<!doctype html><title>two embeds</title><link rel=\"icon\" href=\"favicon.svg\">"
        '<iframe id="a" src="./?embed&text=arrive+Beijing+on+November+2nd" width="1000" height="700"></iframe>'
        '<iframe id="b" src="./?embed&preset=memory&t=3&unit=1" width="1000" height="700"></iframe>')
    other = new_page(browser)
    try:
        other.goto(server + "two-embeds.html")
        frames = [f for f in other.frames if f != other.main_frame]
        assert len(frames) == 2
        states = []
        for frame in frames:
            frame.evaluate("window.pysim.ready")
            states.append(frame.evaluate("window.pysim.state()"))
            assert frame.evaluate("document.documentElement.classList.contains('embed')")
            # nothing of the header shows; its h1 is there for screen readers (visually hidden)
            assert frame.evaluate("document.querySelector('header').getBoundingClientRect().height") <= 1
            assert frame.evaluate("document.querySelector('h1').getBoundingClientRect().width") <= 1
        sa, sb = sorted(states, key=lambda s: s["preset"])
        assert sa["preset"] == "beijing" and sb["preset"] == "memory"
        close(sa["layers"][0]["h"], native("arrive Beijing on November 2nd")["layers"][0]["h"])
        close(sb["layers"][0]["h"], native(presets.default_text("memory"), "memory")["layers"][0]["h"])
        assert (sb["t"], sb["unit"]) == (3, 1)
        # stepping one embed leaves the other alone
        frames[0].evaluate("window.pysim.seek(0)")
        t_other = frames[1].evaluate("window.pysim.state().t")
        frames[0].evaluate("window.pysim.step(1)")
        assert frames[1].evaluate("window.pysim.state().t") == t_other
        other.watch.check()
    finally:
        other.context.close()


def test_keyboard_and_labels(page):
    page.evaluate("window.pysim.setText('arrive Beijing on November 2nd')")
    page.evaluate("window.pysim.seek(0)")
    page.locator("header").click()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("window.pysim.state().t === 2")
    page.keyboard.press("Home")
    page.wait_for_function("window.pysim.state().t === 0")
    page.keyboard.press(" ")
    page.wait_for_function("window.pysim.state().t >= 1", timeout=5000)
    page.keyboard.press(" ")
    t = page.evaluate("window.pysim.state().t")
    page.wait_for_timeout(700)
    assert page.evaluate("window.pysim.state().t") == t  # paused
    # every control has a label a screen reader reads
    for label in ["Model", "Sentence (words separated by spaces)", "Unit", "Layer", "Clamp"]:
        assert page.get_by_label(label, exact=True).count() >= 1, label
    for name in ["\u21e4 Start", "\u25c0 Back", "\u25b6 Play", "Step \u25b6", "Add clamp"]:
        assert page.get_by_role("button", name=name).count() == 1, name
