"""Embeds, end to end in real Chromium: the first paint shows what the link asks for (a prepared
trace's own numbers, or another text's words marked as computing; never another sentence's),
&views= shows the parts it names and nothing else, and the embed tells its parent page its
height (web/height.js -> web/embed.js)."""
from __future__ import annotations

import numpy as np
import pytest
from bokeh.palettes import Viridis256

from pysim import api, presets
from tests.conftest import heatmap, new_page

pytestmark = pytest.mark.e2e

LEAVE = presets.ARTICLE_SENTENCES[1]   # prepared by default (embeds.json): traces/<hash>.json
OTHER = "leave Shanghai for Chengdu today"  # not prepared: Python computes it
Q = lambda s: s.replace(" ", "%20")  # noqa: E731

PREVIEW_PIXELS = """key => {
  // the colour of every (step, unit) cell of one of the preview's pictures
  const canvas = document.querySelector(`#pysim-preview .pv-heat[data-key="${key}"] canvas`);
  const { width: T, height: H } = canvas;
  const px = canvas.getContext("2d").getImageData(0, 0, T, H).data;
  return Array.from({ length: T }, (_, t) => Array.from({ length: H }, (_, u) =>
    Array.from(px.slice(((H - 1 - u) * T + t) * 4, ((H - 1 - u) * T + t) * 4 + 3))));
}"""
VISIBLE = """names => names.map((n) => {
  const m = window.pysim.model(n);
  const view = Bokeh.index.find_one(m); // null: not built (web/pieces.js builds what is seen)
  return Boolean(view) && m.visible !== false && view.el.getBoundingClientRect().height > 0;
})"""
BUILT = "names => names.filter((n) => Bokeh.index.find_one(window.pysim.model(n)))"


def native(text, preset="beijing"):
    return api.trace_json(presets.load(preset), text)


def assert_trace(state, ref, tol=1e-12):
    assert state["tokens"] == ref["tokens"]
    for got, want in zip(state["layers"], ref["layers"]):
        for k in "figoch":
            np.testing.assert_allclose(got[k], want[k], rtol=tol, atol=tol)
    np.testing.assert_allclose(state["probs"], ref["probs"], rtol=tol, atol=tol)


class Held:
    """Requests held back (Pyodide's files: Python cannot start; BokehJS: the pictures stay)
    until release()."""

    def __init__(self, page, pattern):
        self.page, self.pattern, self.routes, self.released = page, pattern, [], False
        page.context.route(pattern, self.hold)  # the context's: the worker's requests too

    def hold(self, route):
        if self.released:
            route.continue_()
        else:
            self.routes.append(route)

    def release(self):
        self.released = True
        while self.routes:
            self.routes.pop().continue_()


def open_held(browser, url, width=700):
    page = new_page(browser)
    page.set_viewport_size({"width": width, "height": 900})
    python, bokeh = Held(page, "**/pyodide/**"), Held(page, "**/bokeh/bokeh-*.js")
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_function("performance.getEntriesByName('pysim:preview').length === 1")
    return page, python, bokeh


def test_a_prepared_embed_shows_its_own_trace_from_the_first_paint(browser, server):
    """?embed&text=<a prepared sentence>&t=1&unit=3: its pictures, before BokehJS and Python,
    are its own (the forget gate's colours of native pysim's values, its words, step 1 framed);
    then the views show its numbers (native pysim's to 1e-12) at step 1, unit 3, still without
    Python; the worker never traces it (the trace came from traces/, fetched once)."""
    page, python, bokeh = open_held(browser, f"{server}?embed&text={Q(LEAVE)}&t=1&unit=3")
    ref = native(LEAVE)
    assert page.evaluate("typeof window.Bokeh") == "undefined"
    words = page.locator("#pysim-preview .pv-words span")
    assert words.all_inner_texts() == ref["tokens"]
    assert words.evaluate_all("s => s.map(e => e.classList.contains('now'))") == [
        False, True, False, False, False]
    rgb = np.array([[int(c[k:k + 2], 16) for k in (1, 3, 5)] for c in Viridis256])
    for key in "fio":
        values = np.array(ref["layers"][0][key])  # (T, H)
        want = rgb[np.clip((values * 256).astype(int), 0, 255)]
        np.testing.assert_array_equal(np.array(page.evaluate(PREVIEW_PIXELS, key)), want)
    state = page.evaluate("window.pysim.state()")
    assert (state["text"], state["t"], state["unit"], state["pending"]) == (LEAVE, 1, 3, False)
    assert_trace(state, ref)
    assert "computed when the site was built" in page.inner_text("#pysim-status")
    bokeh.release()
    page.evaluate("window.pysim.drawn")
    state = page.evaluate("window.pysim.state()")
    assert state["ready"] is False  # Python is held back
    assert_trace(state, ref)
    np.testing.assert_allclose(heatmap(page, "h"), ref["layers"][0]["h"], rtol=1e-12, atol=1e-12)
    m = "(n) => window.pysim.model(n)"
    assert page.evaluate(f"({m})('text').value") == LEAVE
    assert page.evaluate(f"({m})('scrub').value") == 1
    assert page.evaluate(f"({m})('unit').value") == "3"
    assert page.evaluate(f"({m})('tokens').data.tag[1]") == "departure"  # not "destination"
    assert len([p for p in page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
                if "/traces/" in p]) == 1
    page.watch.check()
    page.context.close()


def test_any_other_text_shows_its_words_and_computing_views_then_its_trace(browser, server):
    """A text no one prepared: the first paint shows its words and no numbers (the pictures and
    then the views say "computing"; text box, token strip and status line agree); once Python
    is up the views show its trace (native pysim's to 1e-12) at the link's step."""
    page, python, bokeh = open_held(browser, f"{server}?embed&text={Q(OTHER)}&t=2")
    words = page.locator("#pysim-preview .pv-words span")
    assert words.all_inner_texts() == OTHER.split()
    assert words.evaluate_all("s => s.findIndex(e => e.classList.contains('now'))") == 2
    assert page.locator("#pysim-preview canvas").count() == 0  # no numbers, nobody's
    titles = page.locator("#pysim-preview .pv-heat .pv-title").all_inner_texts()
    assert len(titles) == 6 and all("computing" in t for t in titles)
    assert "computed as soon as" in page.inner_text("#pysim-status")
    bokeh.release()
    page.evaluate("window.pysim.drawn")
    state = page.evaluate("window.pysim.state()")
    assert (state["text"], state["tokens"], state["pending"], state["t"]) == (
        OTHER, OTHER.split(), True, 2)
    assert np.isnan(np.array(state["layers"][0]["f"], dtype=float)).all()
    assert page.evaluate("window.pysim.model('text').value") == OTHER
    assert page.evaluate("window.pysim.model('tokens').data.token") == OTHER.split()
    assert "computing" in page.evaluate("window.pysim.model('fig_c').title.text")
    python.release()
    page.evaluate("window.pysim.ready")
    state = page.evaluate("window.pysim.state()")
    assert state["pending"] is False and state["t"] == 2 and state["text"] == OTHER
    assert_trace(state, native(OTHER))
    assert "computing" not in page.evaluate("window.pysim.model('fig_c').title.text")
    page.watch.check()
    page.context.close()


FEATURED = "window.pysim && typeof window.pysim.url === 'function'"  # the tabs are embedded
PARTS = ["row_text", "row_article", "row_steps", "tok_fig", "fig_f", "fig_i", "fig_o", "fig_g",
         "fig_c", "fig_h", "unit_fig", "probs_fig", "panels"]


@pytest.mark.parametrize("views, shown", [
    ("c,h", {"fig_c", "fig_h"}),
    ("tokens", {"tok_fig"}),
    ("f", {"fig_f"}),
    ("steps,gates", {"row_steps", "fig_f", "fig_i", "fig_o"}),
    ("diagram", {"panels"}),
])
def test_views_shows_what_it_names_and_nothing_else(browser, server, views, shown):
    page = new_page(browser)
    page.set_viewport_size({"width": 700, "height": 900})
    Held(page, "**/pyodide/**")  # no Python needed: the prepared trace is drawn without it
    page.goto(f"{server}?embed&text={Q(LEAVE)}&views={views}")
    page.wait_for_function(FEATURED)
    visible = dict(zip(PARTS, page.evaluate(VISIBLE, PARTS)))
    assert {k for k, v in visible.items() if v} == shown
    # the parts it leaves out are never built: their BokehJS views cost it nothing
    assert set(page.evaluate(BUILT, PARTS)) - {"panels"} == shown - {"panels"}
    # once what it shows is built, its pictures go (nothing read: as a reader's embed)
    page.wait_for_function("performance.getEntriesByName('pysim:drawn').length > 0")
    assert page.locator("#pysim-preview").count() == 0
    page.evaluate("window.pysim.drawn")  # (which builds every view the embed shows, no other)
    assert set(page.evaluate(BUILT, PARTS)) - {"panels"} == shown - {"panels"}
    if views == "f":  # one heatmap alone takes the whole width
        width = page.evaluate("Bokeh.index.get_one(window.pysim.model('fig_f')).el.getBoundingClientRect().width")
        assert width > 600
    if views == "diagram":
        assert page.evaluate("window.pysim.model('panels').active") == 0
        header = page.evaluate("""() => { const v = Bokeh.index.get_one(window.pysim.model('panels'));
          const h = v.shadow_el.querySelector('.bk-header'); return h ? getComputedStyle(h).display : 'none'; }""")
        assert header == "none"
    # as tall as what it shows: nothing but the page's margin below the last part shown
    body = page.evaluate("document.body.scrollHeight")
    bottom = page.evaluate("""parts => Math.max(...parts.map((p) => {
      const v = Bokeh.index.get_one(window.pysim.model(p));
      return v && v.el.offsetParent ? v.el.getBoundingClientRect().bottom + scrollY : 0; }))""",
                           sorted(shown))
    assert bottom > 0 and body <= bottom + 60, (body, bottom)
    assert f"views={views}" in page.evaluate("window.pysim.url()").replace("%2C", ",")
    page.watch.check()
    page.context.close()


def test_views_first_paint_draws_only_the_named_pictures(browser, server):
    page, python, bokeh = open_held(browser, f"{server}?embed&text={Q(LEAVE)}&views=c,h&t=3")
    keys = page.locator("#pysim-preview .pv-heat").evaluate_all("e => e.map(x => x.dataset.key)")
    assert keys == ["c", "h"]
    assert page.locator("#pysim-preview .pv-words").count() == 0
    assert page.locator("#pysim-preview .pv-controls").count() == 0
    assert page.evaluate("document.body.scrollHeight") < 450
    page.context.close()


def test_unknown_views_are_said_and_left_out(browser, server):
    page = new_page(browser)
    Held(page, "**/pyodide/**")
    page.goto(f"{server}?embed&views=c,bogus")
    page.evaluate("window.pysim.drawn")
    assert "bogus" in page.inner_text("#pysim-message")
    assert page.evaluate(VISIBLE, ["fig_c", "fig_f"]) == [True, False]
    page.watch.check()
    page.context.close()


def test_the_embed_tells_its_parent_its_height(browser, server, site):
    """A parent page with two embeds and embed.js (its own file, as under a strict CSP): each
    iframe is set to its embed's content height, which changes as the embed does; no inner
    scrollbar."""
    (site[0] / "parent-height.html").write_text(
        "<!doctype html><title>parent</title><link rel=\"icon\" href=\"favicon.svg\">"
        f'<iframe id="a" src="./?embed&text={Q(LEAVE)}&views=c,h" width="700" height="150" style="border:0"></iframe>'
        '<iframe id="b" src="./?embed&views=tokens" width="700" height="150" style="border:0"></iframe>'
        '<script src="embed.js" async></script>')
    page = new_page(browser)
    Held(page, "**/pyodide/**")
    page.add_init_script("""window.heights = [];
      addEventListener('message', (e) => { if (e.data && e.data.type === 'pysim:height') heights.push(e.data.height); });""")
    page.goto(server + "parent-height.html")
    frames = {f.name or f.url: f for f in page.frames if f != page.main_frame}
    for frame in frames.values():
        frame.evaluate("window.pysim.drawn")
    fit = """id => { const f = document.getElementById(id);
      const inner = f.contentDocument.body; return [f.getBoundingClientRect().height,
      Math.ceil(inner.scrollHeight), f.contentDocument.documentElement.scrollHeight > f.clientHeight]; }"""
    for id_ in ("a", "b"):
        page.wait_for_function(f"""() => {{ const f = document.getElementById('{id_}');
          return Math.abs(f.getBoundingClientRect().height - f.contentDocument.body.scrollHeight) <= 1; }}""")
        outer, inner, scrolls = page.evaluate(fit, id_)
        assert abs(outer - inner) <= 1 and not scrolls and outer > 150
    assert len(page.evaluate("heights")) >= 2
    # the embed grows (a message line appears): the iframe follows
    frame = page.frame_locator("#b")
    before = page.evaluate(fit, "b")[0]
    page.evaluate("""() => { const d = document.getElementById('b').contentDocument;
      const m = d.getElementById('pysim-message'); m.textContent = 'a message\\nof two lines'; m.hidden = false; }""")
    page.wait_for_function(f"document.getElementById('b').getBoundingClientRect().height > {before}")
    assert frame is not None
    page.watch.check()
    page.context.close()
