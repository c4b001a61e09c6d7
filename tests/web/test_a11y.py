"""Accessibility of the page, end to end (real Chromium, BokehJS, Pyodide): axe-core 4.14.1 (npm,
node_tools.py) finds no violation on the page and with each feature tab open, in the light and
the dark theme (?theme=dark with the system's dark scheme emulated) and in English and Chinese
(?lang=zh); the keyboard focus ring has >= 3:1 contrast against the page; the page has its
landmarks, its description and, embedded, its h1.

axe is injected past the page's Content-Security-Policy (a context with bypass_csp): the test
adds a script the policy would refuse, the page itself runs as served.
"""
from __future__ import annotations

import pytest

import node_tools
from tests.conftest import ConsoleWatch
from tests.web.focus import focused, on_model, tab_to, to_start

pytestmark = pytest.mark.e2e

TABS = "window.pysim.model('panels').tabs.map((p) => p.title)"
OPEN = """async (k) => {
  const tabs = window.pysim.model("panels");
  tabs.active = k;
  const child = tabs.tabs[k].child;
  for (let i = 0; i < 200 && !(Bokeh.index.find_one(child) && Bokeh.index.find_one(child).el.isConnected); i++) {
    await new Promise((r) => setTimeout(r, 25));
  }
  for (let i = 0; i < 4; i++) await new Promise((r) => requestAnimationFrame(r));
}"""
AXE_RUN = """() => axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations.map((v) =>
  ({ id: v.id, impact: v.impact, help: v.help,
     nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" >> ") + ": " + n.failureSummary) })))"""


def open_page(browser, url, theme="light", lang="en"):
    context = browser.new_context(viewport={"width": 1280, "height": 1400}, bypass_csp=True,
                                  color_scheme=theme)
    page = context.new_page()
    page.watch = ConsoleWatch(page)
    page.goto(url)
    page.evaluate("window.pysim.ready")
    return page


@pytest.fixture(scope="module", params=[("light", "en"), ("dark", "en"), ("light", "zh"),
                                        ("dark", "zh")], ids=lambda p: "-".join(p))
def page(request, browser, server):
    theme, lang = request.param
    page = open_page(browser, f"{server}?theme={theme}&lang={lang}", theme, lang)
    page.add_script_tag(content=node_tools.axe_source())
    page.theme, page.lang = theme, lang
    yield page
    page.context.close()


def axe(page):
    return page.evaluate(AXE_RUN)


def test_no_axe_violations_on_the_page_or_any_tab(page):
    assert page.evaluate("document.documentElement.lang").startswith(page.lang)
    page.evaluate(OPEN, 0)
    found = {"page": axe(page)}
    for k, title in enumerate(page.evaluate(TABS)):
        page.evaluate(OPEN, k)
        found[title] = axe(page)
    page.evaluate(OPEN, 0)
    bad = {where: v for where, v in found.items() if v}
    assert not bad, bad


def contrast(a, b):
    def lum(rgb):
        c = [x / 255 for x in rgb]
        c = [x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


RING = """() => {
  const el = window.__focused, s = getComputedStyle(el);
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  return { style: s.outlineStyle, width: parseFloat(s.outlineWidth), colour: rgb(s.outlineColor),
           page: rgb(getComputedStyle(document.body).backgroundColor),
           visible: el.matches(":focus-visible") };
}"""


def test_focus_ring_is_visible_with_3_to_1_contrast_on_a_button_and_a_tab(page):
    page.evaluate("document.activeElement.blur()")
    for want in (on_model("play"), lambda f: f["role"] == "tab"):
        tab_to(page, want)
        ring = page.evaluate(RING)
        assert ring["visible"] and ring["style"] == "solid" and ring["width"] >= 2, ring
        assert contrast(ring["colour"], ring["page"]) >= 3, ring


def test_landmarks_description_and_the_live_region(page):
    got = page.evaluate("""() => ({
      mains: document.querySelectorAll("main").length,
      panelsInMain: !!document.querySelector("main #pysim-panels"),
      viewsInMain: !!document.querySelector("main #pysim-root"),
      h1: document.querySelectorAll("h1").length,
      description: document.querySelector('meta[name="description"]').content,
      live: document.getElementById("pysim-announce").getAttribute("aria-live") })""")
    assert got["mains"] == 1 and got["panelsInMain"] and got["viewsInMain"] and got["h1"] == 1, got
    assert len(got["description"]) > 50 and got["live"] == "polite", got
    from web.strings import STRINGS
    assert got["description"] == STRINGS[page.lang]["a11y.description"]


def test_embed_has_a_visually_hidden_h1_and_no_axe_violations(browser, server):
    page = open_page(browser, f"{server}?embed")
    try:
        page.add_script_tag(content=node_tools.axe_source())
        h1 = page.evaluate("""() => { const h = document.querySelector("h1"), r = h.getBoundingClientRect();
          return { text: h.textContent, w: r.width, h: r.height, shown: getComputedStyle(h).display } }""")
        assert h1["text"].startswith("pysim") and h1["shown"] != "none" and h1["w"] <= 1 and h1["h"] <= 1, h1
        assert page.evaluate("getComputedStyle(document.querySelector('.lede')).display") == "none"
        assert axe(page) == []
        page.watch.check()
    finally:
        page.context.close()


def test_tab_stops_skip_plots_logos_and_toolbars(page):
    to_start(page)
    stops = []
    for _ in range(60):
        page.keyboard.press("Tab")
        f = focused(page)
        if f["tag"] == "BODY":
            break
        stops.append(f)
    assert stops and len(stops) < 60
    for f in stops:
        # links: only the language switch (web/localize.py), no logo
        assert "bk-events" not in f["cls"] and "bk-logo" not in f["cls"], f
        assert f["tag"] != "A" or f["cls"] == "lang-switch", f
        assert f["model"] is None or not f["model"].endswith("fig") and not f["model"].startswith("fig_"), f
