"""The page's layout from a 320-px phone to a 1920-px screen, in a 700-px blog iframe, and on a
touch screen (web/responsive.py, web/swipe.js, style.css; issue 12).

At every width (640 px is a 1280-px window at 200 % zoom, WCAG 1.4.10): no sideways scrolling of
the page; every widget and figure inside the viewport (the cell diagram scrolls inside its own
box below 560 px: a 2-D figure, the criterion's exception); no two boxes of text overlap (widget
labels, buttons, tabs, titles, legends: every text node in the document and the BokehJS shadow
roots, on every tab); the heatmaps three a line from 1000 px, two from 680 px, one below, each
readable: its plot area at least HEAT_FRAME px wide, which for the article's five-word sentence is
>= 30 px a step (the two-digit tick labels under each column need ~14 px) and leaves the colour
bar its own room. The prerendered pictures sit where the views then appear (within 2 px).
On a phone (375 px, touch): every tap target at least 44 x 44 px, a swipe on a heatmap steps,
a tap seeks, a vertical swipe scrolls the page and does not step.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import new_page
from web import responsive

pytestmark = pytest.mark.e2e

WIDTHS = [320, 375, 414, 640, 768, 1024, 1366, 1920]
HEAT_FRAME = 150  # px: a heatmap's plot area (frame) at the narrowest, 320 px
HEATS = [f"fig_{k}" for k in "fiogch"]
# 2-D content that may scroll sideways in a box of its own: figure -> its box
SCROLLS_IN_BOX = {"diagram_fig": "diagram_box"}

# every laid-out text node (document and open shadow roots): [text, left, top, right, bottom]
TEXT_BOXES = """() => {
  const out = [];
  const clipped = (el) => {
    for (let a = el; a && a.nodeType === Node.ELEMENT_NODE; a = a.parentElement) {
      const r = a.getBoundingClientRect();
      if (getComputedStyle(a).overflow === "hidden" && r.width <= 1 && r.height <= 1) return true;
    }
    return false;
  };
  const visit = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === Node.ELEMENT_NODE) {
        if (n.shadowRoot) visit(n.shadowRoot);
        continue;
      }
      if (!n.textContent.trim() || n.parentElement?.closest("style, script, title")) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      for (const r of range.getClientRects()) {
        if (r.width < 1 || r.height < 1) continue;
        const el = n.parentElement;
        if (el && getComputedStyle(el).visibility === "hidden") continue;
        if (clipped(el)) continue;  // visually hidden: read by screen readers only (1 x 1 px)
        out.push([n.textContent.trim().slice(0, 40), r.left, r.top, r.right, r.bottom]);
      }
    }
  };
  visit(document);
  return out;
}"""

# the host box of every BokehJS widget and plot that is on screen: {name or type: [l, t, r, b]}
VIEW_BOXES = """() => {
  const out = {};
  for (const doc of Bokeh.documents) for (const m of doc.all_models) {
    const type = m.constructor.__name__;
    let isView = false;  // a widget or a plot: a class of that name in its prototype chain
    for (let c = m.constructor; c && c.__name__; c = Object.getPrototypeOf(c)) {
      if (c.__name__ === "Widget" || c.__name__ === "Plot") isView = true;
    }
    if (!isView) continue;
    const v = Bokeh.index.get_one(m);
    if (!v) continue;
    const r = v.el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    out[m.name || `${type} ${m.id}`] = [r.left, r.top, r.right, r.bottom];
  }
  return out;
}"""

FRAMES = """names => names.map((n) => {
  const v = Bokeh.index.get_one(window.pysim.model(n));
  const r = v.el.getBoundingClientRect();
  return {left: r.left, top: r.top, width: r.width, frame: v.frame.bbox.width};
})"""

SETTLE = """() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(
  () => setTimeout(r, 150))))"""


def overlaps(boxes, tol=1.0):
    """Pairs of text boxes that overlap by more than `tol` px both ways."""
    bad = []
    for i, (ta, *a) in enumerate(boxes):
        for tb, *b in boxes[i + 1:]:
            w = min(a[2], b[2]) - max(a[0], b[0])
            h = min(a[3], b[3]) - max(a[1], b[1])
            if w > tol and h > tol:
                bad.append((ta, tb, round(w), round(h)))
    return bad


def tab_count(page) -> int:
    return page.evaluate("window.pysim.model('panels').tabs.length")


def open_tab(page, i) -> None:
    page.evaluate(f"window.pysim.model('panels').active = {i}")
    page.evaluate(SETTLE)


def check_fits(target, width) -> None:
    """The page (or the iframe's document) `target` at viewport `width`: no sideways scrolling,
    every view inside, no overlapping text, on every tab."""
    scroll = target.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll[0] <= scroll[1], f"{width} px: the page scrolls sideways ({scroll})"
    for i in range(tab_count(target)):
        open_tab(target, i)
        boxes = target.evaluate(VIEW_BOXES)
        vw = target.evaluate("document.documentElement.clientWidth")
        for name, (left, _, right, _) in boxes.items():
            if name in SCROLLS_IN_BOX:
                left, _, right, _ = boxes[SCROLLS_IN_BOX[name]] if SCROLLS_IN_BOX[name] in boxes \
                    else target.evaluate(f"""(() => {{ const r = Bokeh.index.get_one(
                        window.pysim.model('{SCROLLS_IN_BOX[name]}')).el.getBoundingClientRect();
                        return [r.left, r.top, r.right, r.bottom]; }})()""")
            assert left >= -0.5 and right <= vw + 0.5, f"{width} px, tab {i}: {name} at {left}..{right}"
        bad = overlaps(target.evaluate(TEXT_BOXES))
        assert not bad, f"{width} px, tab {i}: overlapping text {bad[:5]}"
        scroll = target.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll[0] <= scroll[1], f"{width} px, tab {i}: the page scrolls sideways ({scroll})"
    open_tab(target, 0)


def check_heatmaps(target, width) -> None:
    """Three a line from 1000 px, two from 680 px, one below; each readable."""
    heats = target.evaluate(FRAMES, HEATS)
    per_line = sum(1 for h in heats if abs(h["top"] - heats[0]["top"]) < 1)
    vw = target.evaluate("window.innerWidth")
    expected = 3 if vw >= responsive.BREAKPOINTS["three"] else \
        2 if vw >= responsive.BREAKPOINTS["two"] else 1
    assert per_line == expected, f"{width} px: {per_line} heatmaps a line, not {expected}"
    for name, h in zip(HEATS, heats):
        assert h["frame"] >= HEAT_FRAME, f"{width} px: {name}'s plot area is {h['frame']} px"
    pair = target.evaluate(FRAMES, ["unit_fig", "probs_fig"])
    stacked = pair[1]["top"] > pair[0]["top"] + 1
    assert stacked == (vw < responsive.BREAKPOINTS["two"]), f"{width} px: unit/probs {pair}"


# ---- the breakpoints: written in web/responsive.py, repeated by style.css ----------------------
def test_style_css_uses_the_layout_widths():
    css = (Path(__file__).parents[2] / "web" / "style.css").read_text()
    three, two = responsive.BREAKPOINTS["three"], responsive.BREAKPOINTS["two"]
    assert (three, two) == (1000, 680)
    assert f"@media (max-width: {three - 1}px)" in css and f"@media (max-width: {two - 1}px)" in css
    assert f"(max-width: {responsive.NARROW}px)" in css
    assert re.search(rf"\.pv-heat \{{ flex: 1 1 {responsive.HEAT_MIN}px", css)
    assert re.search(rf"\.pv-pair \{{ flex: 1 1 {responsive.PAIR_MIN}px", css)
    assert f"padding: 8px {responsive.PAD_NARROW}px" in css
    assert f"padding: 12px {responsive.PAD_WIDE}px" in css


# ---- widths ----------------------------------------------------------------------------------
# the module's page: tests/web/conftest.py's (Python ready)


@pytest.mark.parametrize("width", WIDTHS)
def test_reflows_at_width(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.evaluate(SETTLE)
    check_fits(page, width)
    check_heatmaps(page, width)


def test_preview_sits_where_the_views_appear(browser, server):
    """The prerendered pictures (web/features/preview.js) at 375, 700 and 1366 px: the token strip
    and the six heatmaps where BokehJS then draws them, and as tall: nothing below moves."""
    for width in (375, 700, 1366):
        page = new_page(browser)
        page.set_viewport_size({"width": width, "height": 900})
        held = []
        page.route(re.compile(r".*/bokeh-widgets-[^/]*\.js$"), lambda r: held.append(r))  # held
        page.goto(server)
        page.wait_for_selector("#pysim-preview .pv-heat")
        stage = "document.getElementById('pysim-stage').getBoundingClientRect()"
        before = page.evaluate(f"""() => {{ const s = {stage};
          const boxes = [...document.querySelectorAll('#pysim-preview .pv-strip, #pysim-preview .pv-heat')];
          return {{height: s.height, boxes: boxes.map((e) => {{ const r = e.getBoundingClientRect();
            return [r.left - s.left, r.top - s.top, r.width]; }})}}; }}""")
        for route in held:
            route.continue_()
        page.unroute(re.compile(r".*/bokeh-widgets-[^/]*\.js$"))
        page.evaluate("window.pysim.drawn")
        after = page.evaluate(f"""() => {{ const s = {stage};
          return {{height: s.height, preview: !!document.getElementById('pysim-preview'),
            boxes: {HEATS!r}.reduce((a, n) => a.concat([n]), ['tok_fig']).map((n) => {{
              const r = Bokeh.index.get_one(window.pysim.model(n)).el.getBoundingClientRect();
              return [r.left - s.left, r.top - s.top, r.width]; }})}}; }}""")
        assert not after["preview"]
        assert abs(after["height"] - before["height"]) <= 2, (width, before["height"], after["height"])
        for a, b in zip(before["boxes"], after["boxes"]):
            assert all(abs(x - y) <= 2 for x, y in zip(a, b)), (width, a, b)
        page.watch.check()
        page.context.close()


# ---- a 700-px blog column ----------------------------------------------------------------------
def test_embed_in_a_700_px_iframe(browser, server):
    page = new_page(browser)
    page.set_viewport_size({"width": 1000, "height": 1000})
    # the blog's page, on the site's origin: a secure context, as an https blog is (an iframe in
    # about:blank is not one, and the page then has no crypto.subtle to check its downloads)
    blog = f"{server}blog-post.html"
    page.route(blog, lambda r: r.fulfill(content_type="text/html", body=(
        f'<!doctype html><title>A blog</title><iframe src="{server}?embed" width="700" '
        'height="900" style="border: 0" title="pysim"></iframe>')))
    page.goto(blog)
    frame = page.frame_locator("iframe")
    frame.locator("#pysim-root").wait_for()
    inner = page.frames[1]
    inner.evaluate("window.pysim.drawn")  # the views; then the tabs (no need for Python here)
    inner.wait_for_function("() => { try { return !!Bokeh.index.find_one(window.pysim.model('panels')); }"
                            " catch { return false; } }", timeout=120_000)
    assert inner.evaluate("document.documentElement.classList.contains('embed')")
    assert inner.evaluate("window.innerWidth") == 700
    check_fits(inner, 700)
    check_heatmaps(inner, 700)
    page.watch.check()
    page.context.close()


# ---- touch -----------------------------------------------------------------------------------
TARGETS = """() => {
  const out = [];
  const sel = "button, .bk-btn, input, select, .bk-tab, .noUi-handle";
  const visit = (root) => {
    for (const el of root.querySelectorAll("*")) {
      if (el.shadowRoot) visit(el.shadowRoot);
      if (!el.matches(sel)) continue;
      const r = el.getBoundingClientRect();
      if (r.width < 1 || r.height < 1) continue;  // hidden (a closed tab, the error box)
      out.push([el.tagName + "." + (el.className || ""), r.width, r.height]);
    }
  };
  visit(document);
  return out;
}"""


@pytest.fixture(scope="module")
def phone(browser, server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, has_touch=True,
                                  is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    from tests.conftest import ConsoleWatch
    page.watch = ConsoleWatch(page)
    page.goto(server)
    page.evaluate("window.pysim.ready")
    yield page
    page.watch.check()
    context.close()


def test_tap_targets_are_44_px_on_a_phone(phone):
    assert phone.evaluate("matchMedia('(pointer: coarse)').matches")
    seen = 0
    for i in range(tab_count(phone)):
        open_tab(phone, i)
        targets = phone.evaluate(TARGETS)
        small = [t for t in targets if t[1] < responsive.TAP - 0.5 or t[2] < responsive.TAP - 0.5]
        assert not small, f"tab {i}: tap targets under 44 px: {small}"
        seen += len(targets)
    open_tab(phone, 0)
    assert seen > 30  # the step controls, the menus, every tab's buttons


def touch_drag(page, x0, y0, x1, y1, steps=8):
    """A real one-finger drag (CDP touch events: the browser applies touch-action to them)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]})
    for k in range(1, steps + 1):
        x, y = x0 + (x1 - x0) * k / steps, y0 + (y1 - y0) * k / steps
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
        page.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()
    page.evaluate(SETTLE)


def centre(page, name):
    """A heatmap's plot area, in viewport px: (x of step t -> px function inputs, y middle)."""
    return page.evaluate("""n => {
      const v = Bokeh.index.get_one(window.pysim.model(n));
      const o = v.canvas_view.events_el.getBoundingClientRect();
      const b = v.frame.bbox;
      return {x: o.left + b.left + b.width / 2, y: o.top + b.top + b.height / 2,
              step: [0, 1, 2, 3, 4].map((t) => o.left + v.frame.x_scale.compute(t))};
    }""", name)


def test_swipe_and_tap_step_the_trace(phone):
    phone.evaluate("window.pysim.seek(0)")
    for name in ("fig_f", "tok_fig"):
        phone.evaluate(f"window.pysim.model('{name}') && Bokeh.index.get_one(window.pysim.model('{name}')).el.scrollIntoView({{block: 'center'}})")
        phone.evaluate(SETTLE)
        c = centre(phone, name)
        t0 = phone.evaluate("window.pysim.state().t")
        touch_drag(phone, c["x"] + 60, c["y"], c["x"] - 60, c["y"] + 5)  # to the left: next word
        assert phone.evaluate("window.pysim.state().t") == t0 + 1
        touch_drag(phone, c["x"] - 60, c["y"], c["x"] + 60, c["y"])  # to the right: back
        assert phone.evaluate("window.pysim.state().t") == t0
    c = centre(phone, "fig_f")
    phone.touchscreen.tap(c["step"][3], c["y"])
    phone.evaluate(SETTLE)
    assert phone.evaluate("window.pysim.state().t") == 3


def test_a_vertical_swipe_scrolls_the_page_and_does_not_step(phone):
    phone.evaluate("window.pysim.seek(2)")
    phone.evaluate("Bokeh.index.get_one(window.pysim.model('fig_i')).el.scrollIntoView({block: 'center'})")
    phone.evaluate(SETTLE)
    c = centre(phone, "fig_i")
    y0 = phone.evaluate("window.scrollY")
    touch_drag(phone, c["x"], c["y"] + 100, c["x"] + 8, c["y"] - 100)
    phone.wait_for_timeout(300)
    assert phone.evaluate("window.scrollY") > y0 + 50
    assert phone.evaluate("window.pysim.state().t") == 2
