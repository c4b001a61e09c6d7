"""The dark theme in Chromium: chosen by ?theme=dark|light or else the system's colour scheme, kept
in links, applied before the first paint; the HTML parts and the BokehJS plots dark, their text at
4.5:1 or more (from the computed colours of the DOM, shadow roots included, and from the Bokeh
models' own properties), the heatmaps' colour scales standing out from the dark background where
they stand out from the white one."""
from __future__ import annotations

import re

import pytest

from tests.conftest import new_page

pytestmark = pytest.mark.e2e


# ---- colour arithmetic (WCAG 2) -------------------------------------------------------------
def rgb(colour: str) -> tuple[float, float, float, float]:
    """'#rrggbb', '#rgb', 'rgb(r, g, b)' or 'rgba(r, g, b, a)' -> (r, g, b, a), r..b in 0..255."""
    named = {"white": "#ffffff", "black": "#000000"}
    colour = named.get(colour.strip().lower(), colour.strip())
    if colour.startswith("#"):
        h = colour[1:]
        if len(h) == 3:
            h = "".join(c * 2 for c in h)
        return (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), 1.0)
    nums = [float(x) for x in re.findall(r"[\d.]+", colour)]
    return (*nums[:3], nums[3] if len(nums) > 3 else 1.0)


def luminance(colour) -> float:
    r, g, b, _ = rgb(colour) if isinstance(colour, str) else colour

    def lin(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast(a, b) -> float:
    hi, lo = sorted([luminance(a), luminance(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def is_dark(colour) -> bool:
    return luminance(colour) < 0.05


# ---- what the page shows --------------------------------------------------------------------
# every element with text of its own (in the document and in every shadow root), its colour and
# the background it is drawn on (the first opaque background up its ancestors, across shadow
# hosts; translucent ones composited over it)
DOM_TEXT = """() => {
  const out = [];
  const parse = (c) => { const n = c.match(/[\\d.]+/g).map(Number); return [n[0], n[1], n[2], n.length > 3 ? n[3] : 1]; };
  const up = (el) => el.parentElement || (el.getRootNode() && el.getRootNode().host) || null;
  function background(el) {
    const layers = [];
    for (let x = el; x; x = up(x)) {
      const c = parse(getComputedStyle(x).backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let [r, g, b] = [255, 255, 255];
    for (const [lr, lg, lb, a] of layers.reverse()) { r = lr * a + r * (1 - a); g = lg * a + g * (1 - a); b = lb * a + b * (1 - a); }
    return `rgb(${r}, ${g}, ${b})`;
  }
  function visit(root) {
    for (const el of root.querySelectorAll("*")) {
      if (el.shadowRoot) visit(el.shadowRoot);
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own || !el.getClientRects().length) continue;
      const st = getComputedStyle(el);
      if (st.visibility !== "visible" || Number(st.opacity) === 0) continue;
      if (el.closest(":disabled") || el.matches(":disabled") || el.closest("#pysim-preview")) continue;
      if (["SCRIPT", "STYLE", "OPTION"].includes(el.tagName)) continue;
      out.push({ text: el.textContent.trim().slice(0, 40), tag: el.tagName, color: st.color,
                 bg: background(el) });
    }
  }
  visit(document);
  return out;
}"""

# text drawn by BokehJS, from the models: [where, text colour, background colour]
PLOT_TEXT = """() => {
  const out = [];
  const value = (spec) => (spec && typeof spec === "object" ? spec.value : spec);
  for (const doc of Bokeh.documents) {
    for (const m of doc.all_models) {
      if (!("border_fill_color" in m) || !("renderers" in m) || !m.visible) continue;
      const name = m.name || m.id, bg = m.border_fill_color, inner = m.background_fill_color;
      if (m.title && m.title.text) out.push([`${name} title`, m.title.text_color, bg]);
      for (const a of [...m.left, ...m.right, ...m.above, ...m.below]) {
        if (!a.visible) continue;
        if ("major_label_text_color" in a && "axis_label_text_color" in a) {
          out.push([`${name} axis labels`, a.major_label_text_color, bg]);
          if (a.axis_label) out.push([`${name} axis title`, a.axis_label_text_color, bg]);
        }
        if ("color_mapper" in a) { // a colour bar
          const cb = a.background_fill_color || bg;
          out.push([`${name} colour bar labels`, a.major_label_text_color, cb]);
          if (a.title) out.push([`${name} colour bar title`, a.title_text_color, cb]);
        }
        if ("items" in a) out.push([`${name} legend`, a.label_text_color, a.background_fill_color || bg]);
      }
      for (const r of m.renderers) {
        const g = r.glyph;
        if (!g || !("text_color" in g) || !r.visible) continue;
        if (r.data_source.name === "prob_labels") continue; // over the cells: test_probability_labels
        const c = value(g.text_color);
        if (typeof c === "string" && c.startsWith("#")) out.push([`${name} text glyph`, c, inner]);
      }
    }
  }
  return out;
}"""

HEAT_SCALES = """() => ["fig_f", "fig_g", "fig_c", "fig_h", "probs_fig"].map((name) => {
  const fig = window.pysim.model(name);
  const image = fig.renderers.find((r) => r.glyph && "color_mapper" in r.glyph);
  const p = image.glyph.color_mapper.palette;
  return [name, p[0], p[p.length - 1], fig.background_fill_color, fig.border_fill_color];
})"""


def open_page(browser, url, scheme=None, wait="featured"):
    page = new_page(browser)
    if scheme:
        page.emulate_media(color_scheme=scheme)
    page.goto(url)
    page.evaluate("window.pysim.drawn")
    if wait == "featured":
        page.wait_for_function("typeof window.pysim.url === 'function'")
    return page


@pytest.fixture(scope="module")
def page(browser, server):
    """?theme=dark on a light system, Python ready."""
    page = new_page(browser)
    page.emulate_media(color_scheme="light")
    page.goto(server + "?theme=dark")
    page.evaluate("window.pysim.ready")
    yield page
    page.context.close()


def body_colours(page):
    return page.evaluate("""() => { const s = getComputedStyle(document.body);
      return [s.backgroundColor, s.color, document.documentElement.dataset.theme]; }""")


def plot_fill(page, name="fig_f"):
    return page.evaluate(f"window.pysim.model('{name}').border_fill_color")


# ---- choosing the theme ---------------------------------------------------------------------
def test_theme_param_makes_the_page_dark_and_stays_in_links(page):
    bg, ink, theme = body_colours(page)
    assert theme == "dark" and is_dark(bg) and not is_dark(ink)
    assert is_dark(plot_fill(page))
    assert "theme=dark" in page.evaluate("window.pysim.url()")
    page.evaluate("window.pysim.seek(2)")  # a change of state rewrites the URL: the theme stays
    page.wait_for_function("location.search.includes('t=2')")
    assert "theme=dark" in page.evaluate("location.search")
    assert "theme=dark" in page.evaluate("window.pysim.url()")


@pytest.mark.parametrize("scheme, query, want", [
    ("dark", "", "dark"),               # the system's scheme, no parameter
    ("dark", "?theme=light", "light"),  # the link overrides a dark system
    ("light", "?embed&theme=dark", "dark"),  # an embed in a dark blog
])
def test_system_scheme_and_override(browser, server, scheme, query, want):
    page = open_page(browser, server + query, scheme)
    try:
        bg, ink, theme = body_colours(page)
        assert theme == want
        assert is_dark(bg) == (want == "dark") and is_dark(ink) == (want == "light")
        assert is_dark(plot_fill(page)) == (want == "dark")
        assert is_dark(page.evaluate("window.pysim.model('tok_fig').background_fill_color")) == (want == "dark")
        url = page.evaluate("window.pysim.url()")
        assert ("theme=" in url) == ("theme=" in query), url  # the system's choice is not written
        page.watch.check()
    finally:
        page.context.close()


def test_dark_from_the_first_paint(browser, server):
    """The embed is dark before app.js has run (held back here): theme.js, a blocking script in
    <head>, chose the theme; the preview pictures of the trace are on the dark background too."""
    page = new_page(browser)
    page.emulate_media(color_scheme="dark")
    held = []
    page.route("**/app.js", lambda route: held.append(route))
    try:
        page.goto(server + "?embed", wait_until="commit")  # (DOMContentLoaded waits for app.js)
        page.wait_for_selector("footer", state="attached")
        page.wait_for_timeout(300)
        assert held and page.evaluate("window.pysim === undefined")
        bg, ink, theme = body_colours(page)
        assert theme == "dark" and is_dark(bg) and not is_dark(ink)
        shot = page.screenshot(clip={"x": 0, "y": 0, "width": 300, "height": 200})
        from PIL import Image  # noqa: PLC0415  (pillow: a playwright test dependency)
        import io
        colours = Image.open(io.BytesIO(shot)).convert("RGB").getcolors(maxcolors=1 << 16)
        dark = sum(n for n, c in colours if luminance((*c, 1)) < 0.05)
        assert dark > 0.9 * sum(n for n, _ in colours)
        for route in held:
            route.continue_()
        page.wait_for_function("window.pysim !== undefined")
        page.evaluate("window.pysim.drawn")
        page.watch.check()
    finally:
        page.context.close()


# ---- what it looks like ---------------------------------------------------------------------
def test_html_parts_are_dark_with_readable_text(page):
    page.evaluate("""() => {  // show the message and the error box (their colours, not content)
      const m = document.getElementById('pysim-message'); m.hidden = false; m.textContent = 'A message';
      const e = document.getElementById('pysim-error'); e.hidden = false;
      document.getElementById('pysim-error-text').textContent = 'An error';
    }""")
    try:
        for sel in ["body", "#pysim-status", "#pysim-message", "#pysim-error", ".equations pre"]:
            bg = page.evaluate(f"getComputedStyle(document.querySelector('{sel}')).backgroundColor")
            assert is_dark(bg), (sel, bg)
        texts = page.evaluate(DOM_TEXT)
        where = {t["text"] for t in texts}
        for must in ["A message", "An error", "Retry", "pysim", "Model", "Speed", "Play"]:
            assert any(must in w for w in where), must
        low = [(t["text"], t["color"], t["bg"], round(contrast(t["color"], t["bg"]), 2))
               for t in texts if contrast(t["color"], t["bg"]) < 4.5]
        assert not low, low
        assert len(texts) > 40
    finally:
        page.evaluate("""() => { document.getElementById('pysim-message').hidden = true;
                                 document.getElementById('pysim-error').hidden = true; }""")


def test_plot_text_is_readable_on_dark_plots(page):
    page.evaluate("window.pysim.ready")
    pairs = page.evaluate(PLOT_TEXT)
    names = {p[0] for p in pairs}
    assert {"fig_f title", "fig_f axis labels", "fig_f colour bar labels", "unit_fig legend",
            "tok_fig text glyph", "diagram_fig text glyph"} <= names, names
    for where, fg, bg in pairs:
        assert is_dark(bg), (where, bg)
        assert contrast(fg, bg) >= 4.5, (where, fg, bg, contrast(fg, bg))


def test_heatmap_scales_stand_out_from_the_dark_background(browser, server, page):
    """Every end of every colour scale that stands out (3:1, WCAG's contrast for graphics) from
    the white background in light stands out from the dark one in dark, and the other way
    round (an end that is close to the background in light, e.g. p = 0 white, is close in
    dark too: the scales' lightness is mirrored, web/constants.py PALETTES)."""
    dark = page.evaluate(HEAT_SCALES)
    light_page = open_page(browser, server + "?theme=light", "dark", wait="drawn")
    try:
        light = light_page.evaluate(HEAT_SCALES)
    finally:
        light_page.context.close()
    for (name, d0, d1, dbg, dborder), (_, l0, l1, lbg, _) in zip(dark, light):
        assert is_dark(dbg) and is_dark(dborder) and not is_dark(lbg)
        for d_end, l_end in ((d0, l0), (d1, l1)):
            stands_light, stands_dark = contrast(l_end, lbg) >= 3, contrast(d_end, dbg) >= 3
            assert stands_light == stands_dark, (name, l_end, d_end)
        # and each scale has an end that stands out from the dark background
        assert max(contrast(d0, dbg), contrast(d1, dbg)) >= 7, name


def test_probability_labels_are_readable_on_their_cells(page):
    """The numbers printed in the tag-probability cells: one text colour on the cells above the
    flip point (web/constants.py THEMES probs_flip), the other below. Mid-blue cells give neither
    colour 4.5:1 (in light, white on p = 0.56 is 2.8:1); dark places its flip where the worse of
    the two is best, and does better than light there."""
    from web.constants import PALETTES, THEMES
    got = page.evaluate("""() => {
      const fig = window.pysim.model('probs_fig');
      const image = fig.renderers.find((r) => r.glyph && 'color_mapper' in r.glyph);
      const texts = fig.renderers.filter((r) => r.data_source.name === 'prob_labels')
        .map((r) => [r.glyph.text.field, r.glyph.text_color.value ?? r.glyph.text_color]);
      return { palette: image.glyph.color_mapper.palette, texts };
    }""")

    def worst(palette, above, below, flip):
        k = int(flip * len(palette))
        return min(min(contrast(above, c) for c in palette[k:]),
                   min(contrast(below, c) for c in palette[:k]))
    texts = dict(got["texts"])
    assert got["palette"] == PALETTES["dark"]["probs"]
    dark = worst(got["palette"], texts["label_light"], texts["label_dark"],
                 THEMES["dark"]["probs_flip"])
    light = worst(PALETTES["light"]["probs"], "#ffffff", "#1d2330", THEMES["light"]["probs_flip"])
    assert dark >= 3.5 and dark > light, (dark, light)
    # the labels that the page prints now: each on its own cell
    labels = page.evaluate("""() => { const d = window.pysim.model('prob_labels').data;
      return [d.label_light.filter(Boolean).length, d.label_dark.filter(Boolean).length]; }""")
    assert labels[0] > 0 and labels[1] > 0


def test_hover_tooltip_is_dark(page):
    """BokehJS's tooltips (elements of the document, outside the plots' shadow roots)."""
    x, y = page.evaluate("""() => { const v = Bokeh.index.get_one(window.pysim.model('fig_f'));
      const r = v.el.getBoundingClientRect(), f = v.frame.bbox;
      return [r.left + f.left + 20, r.top + f.top + 20]; }""")
    page.mouse.move(x, y)
    page.wait_for_function("document.querySelector('.bk-Tooltip') !== null")
    page.wait_for_timeout(200)
    texts = [t for t in page.evaluate(DOM_TEXT) if t["text"] in ("step:", "token:", "unit:")]
    page.mouse.move(1, 1)
    assert len(texts) >= 3
    for t in texts:
        assert is_dark(t["bg"]) and contrast(t["color"], t["bg"]) >= 4.5, t
