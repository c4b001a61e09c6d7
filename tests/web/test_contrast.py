"""End to end: the Contrast tab and pysim.contrast / patch / ablate / flip / corpus against
native pysim (real Chromium, Pyodide and BokehJS; any console error fails a test)."""
from __future__ import annotations

import numpy as np
import pytest

from pysim import contrast, evidence, patching, presets
from pysim.api import trace_json
from tests.conftest import new_page

pytestmark = pytest.mark.e2e
TOL = 1e-12
A = "arrive Beijing on November 2nd"
B = "leave Beijing on November 2nd"


def bokeh(page, expr):
    return page.evaluate(f"(() => {{ const m = n => window.pysim.model(n); return {expr}; }})()")


def close(got, want, tol=TOL):
    np.testing.assert_allclose(np.asarray(got, float), np.asarray(want, float), rtol=tol, atol=tol)


def open_tab(page):
    k = bokeh(page, "m('panels').tabs.findIndex((p) => p.name === 'panel_contrast')")
    bokeh(page, f"(m('panels').active = {k}, 1)")


def test_contrast_matches_native_pysim_and_draws_the_tab(page):
    got = page.evaluate("([a, b]) => window.pysim.contrast(a, b)", [A, "leave Beijing on May 3rd"])
    want = contrast.contrast(presets.load("beijing"), A, "leave Beijing on May 3rd")
    assert got["steps"] == want["steps"] == [1]
    assert got["tagsA"] == want["tagsA"] and got["tagsB"] == want["tagsB"]
    assert [(u["layer"], u["unit"]) for u in got["units"]] == \
        [(u["layer"], u["unit"]) for u in want["units"]]
    for g, w in zip(got["units"], want["units"]):
        close(g["score"], w["score"])
        close(g["dc"], w["dc"])
        close(g["dh"], w["dh"])
    # the tab: the top three units' C of both texts, the tags side by side, the ranking
    run_a = presets.load("beijing").trace(A)
    top = want["units"][0]
    ys = bokeh(page, "m('contrast_lines_a').data.ys")
    close(ys[0], run_a.c[top["layer"], :, top["unit"]])
    assert len(ys) == 3 and len(bokeh(page, "m('contrast_lines_b').data.ys")) == 3
    labels = bokeh(page, "m('contrast_tags').data.label")
    assert labels[1] == "Beijing\ndestination" and labels[6] == "Beijing\ndeparture"
    assert "layer 0 unit 2" in bokeh(page, "m('contrast_units').text")


def test_patch_and_ablate_match_native_pysim(page):
    units = [{"layer": 0, "unit": 2}, {"layer": 0, "unit": 8}]
    got = page.evaluate("s => window.pysim.patch(s)", {"from": A, "to": B, "units": units,
                                                        "t": 0, "what": "ch"})
    m = presets.load("beijing")
    want = patching.patch(m, A, B, [(0, 2), (0, 8)], 0, "ch")
    assert got["tokens"] == B.split() and got["text"] == B
    for k in ("f", "i", "g", "o", "c", "h"):
        close(got["layers"][0][k], getattr(want, k)[0])
    close(got["probs"], want.probs)
    assert np.argmax(got["probs"][1]) == 1  # Beijing reads as the destination now
    ab = page.evaluate("s => window.pysim.ablate(s)", {"text": A, "units": [{"layer": 0, "unit": 2}]})
    want = trace_json(m, A, [{"gate": "zero", "layer": 0, "unit": 2}])
    for k in ("c", "h"):
        close(ab["layers"][0][k], want["layers"][0][k])
    close(ab["probs"], want["probs"])


def test_one_click_patches_until_the_tag_flips(page):
    open_tab(page)
    page.evaluate("([a, b]) => window.pysim.contrast(a, b)", [A, B])
    r = page.evaluate("window.pysim.flip({})")
    want = evidence.flip_text(presets.load("beijing"), A, B)
    assert (r["k"], r["t"], r["at"], r["tag_a"], r["tag_b"]) == (1, 0, 1, "destination", "departure")
    close(r["before"], want["before"])
    close(r["after"], want["after"])
    text = bokeh(page, "m('contrast_patch_result').text")
    assert "flips B's tag at \u201cBeijing\u201d from departure to destination" in text
    assert f"{want['before']:.3f} \u2192 {want['after'][-1]:.3f}" in text
    close(bokeh(page, "m('contrast_probs').data.p"), [want["before"], *want["after"]])


def test_corpus_view_and_selection_match_native_pysim(page):
    got = page.evaluate("window.pysim.corpus({source: 'held-out', layer: 0, unit: 2, what: 'c'})")
    m = presets.load("beijing")
    c = evidence.Corpus(m, evidence.corpus_sentences(m, "held-out"), "c")
    want = c.view(0, 2)
    assert [s["index"] for s in got["sentences"]] == want["order"]
    assert [s["tokens"] for s in got["sentences"]] == want["tokens"]
    close(np.concatenate([s["values"] for s in got["sentences"]]), want["values"])
    rows = page.evaluate("window.pysim.model('contrast_words').data.y")
    assert max(rows) == 19  # the 20 strongest shown
    k = want["order"][0]
    sel = page.evaluate("s => window.pysim.corpusSelect(s)", {"sentence": k, "steps": [0, 1]})
    ref = c.select(k, [0, 1])
    assert sel["units"] == [{**u, "score": pytest.approx(u["score"], abs=TOL)} for u in ref["units"]]
    assert sel["matches"] == ref["matches"]
    edges = bokeh(page, "m('contrast_words').data.edge")
    assert "#000000" in edges or not ref["matches"]
    lines = page.evaluate("window.pysim.corpus({source: 'lines', lines: 'leave Paris\\narrive Rome', "
                          "layer: 0, unit: 2, what: 'h'})")
    assert sorted(s["index"] for s in lines["sentences"]) == [0, 1]
    close(lines["sentences"][0]["values"],
          m.trace(lines["sentences"][0]["tokens"]).h[0, :, 2])


def test_bad_input_says_why(page):
    with pytest.raises(Exception, match="does not exist"):
        page.evaluate("window.pysim.patch({from: 'arrive Beijing', to: 'leave Beijing', "
                      "units: [{layer: 0, unit: 99}], t: 0})")
    with pytest.raises(Exception, match="held-out"):
        page.evaluate("window.pysim.setPreset('untrained').then(() => "
                      "window.pysim.corpus({source: 'held-out', layer: 0, unit: 0}))")
    assert "held-out" in bokeh(page, "m('contrast_corpus_status').text")
    page.evaluate("window.pysim.setPreset('beijing')")


def test_url_keeps_the_tabs_state(page, browser):
    open_tab(page)
    page.evaluate("([a, b]) => window.pysim.contrast(a, b)", ["arrive Paris", "leave Paris"])
    bokeh(page, "(m('contrast_what').value = 'ch', 1)")
    page.wait_for_function("location.search.includes('cwhat=ch') && location.search.includes('cb=leave')")
    url = page.evaluate("location.href")
    other = new_page(browser)
    try:
        other.goto(url)
        other.evaluate("window.pysim.ready")
        other.wait_for_function("window.pysim.model('contrast_tags').data.label.length === 4")
        assert bokeh(other, "[m('contrast_a').value, m('contrast_b').value, m('contrast_what').value]") \
            == ["arrive Paris", "leave Paris", "ch"]
        other.watch.check()
    finally:
        other.context.close()
