"""web/pieces.js, end to end in real Chromium: BokehJS builds the main views a piece a task (the
token strip first), each piece a root of the one document in the place web/page.py's Column
gives it; until a piece is
built its picture stays, and the keyboard already steps (the trace and the widgets are wired to
the models before any view exists); nothing on the page moves while it loads (no layout shift:
the status line keeps its height, the embed's header never paints)."""
from __future__ import annotations

import pytest

from pysim import presets
from tests.conftest import step_cursor
from web.embeds import CONTAINERS

pytestmark = pytest.mark.e2e

# web/page.py build_layout: the Column's children, its rows of figures taken apart (CONTAINERS)
PIECES = ["row_text", "row_article", "row_steps", "tok_fig", *CONTAINERS["heatmaps"],
          *CONTAINERS["row_lines"]]

# pieces.js gives the browser a turn before each piece with scheduler.yield: held, it waits until
# window.__release() (the building stops after the models are decoded and wired)
HOLD = """(() => {
  let open = false;
  const waiting = [];
  const real = scheduler.yield.bind(scheduler);
  scheduler.yield = () => (open ? real() : new Promise((resolve) => waiting.push(resolve)));
  window.__release = () => { open = true; waiting.splice(0).forEach((r) => r()); };
})();"""

SHIFTS = """window.__shifts = [];
new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__shifts.push(e.value); })
  .observe({ type: "layout-shift", buffered: true });"""


def test_each_piece_is_a_root_in_the_columns_place(page):
    roots = page.evaluate("""() => {
      const doc = Bokeh.documents.find((d) => d.get_model_by_name("tok_fig"));
      return doc.roots().map((r) => r.name);
    }""")
    assert roots == ["tok_fig"] + [p for p in PIECES if p != "tok_fig"]  # the strip built first
    # the elements are laid out in that order, the figures of a row in one wrapping flex row
    placed = page.evaluate("""names => names.map((n) => {
      const el = Bokeh.index.get_one(window.pysim.model(n)).el;
      const box = el.parentElement;
      return [box.className, box.parentElement.className, el.getBoundingClientRect().top];
    })""", PIECES)
    assert [p[0] for p in placed] == ["pysim-piece"] * len(PIECES)
    assert [p[1] for p in placed[:4]] == ["pysim-column"] * 4
    assert [p[1] for p in placed[4:]] == ["pysim-row"] * 6 + ["pysim-row"] * 2
    tops = [p[2] for p in placed]
    assert tops[:5] == sorted(tops[:5])
    # 1280 px: the heatmaps three a line (web/responsive.py), the two plots side by side
    assert tops[4] == tops[5] == tops[6] < tops[7] == tops[8] == tops[9] < tops[10] == tops[11]


def test_the_keyboard_steps_the_pictures_before_the_views_are_built(fresh, server):
    fresh.add_init_script(HOLD)
    fresh.goto(server + "?python=ask")  # no Python: what is stepped is the prerendered trace
    fresh.wait_for_function("window.pysim && window.pysim.model && (() => { try { "
                            "return window.pysim.model('scrub').value === 4 } catch { return false } })()")
    # decoded and wired, not one piece built: the pictures are all there is
    assert fresh.evaluate("[...Bokeh.index].length") == 0
    words = fresh.locator("#pysim-preview .pv-words span")
    T = words.count()
    assert T == len(presets.default_text("beijing").split())
    assert words.nth(T - 1).get_attribute("class") == "now"
    fresh.keyboard.press("Home")
    fresh.keyboard.press("ArrowRight")
    fresh.wait_for_function("document.querySelectorAll('#pysim-preview .pv-words span')[1]"
                            ".classList.contains('now')")
    assert fresh.evaluate("window.pysim.state().t") == 1
    assert fresh.evaluate("window.pysim.model('scrub').value") == 1
    # built, the views' cursors stand where the keyboard left the step
    fresh.evaluate("window.__release()")
    fresh.evaluate("window.pysim.drawn")
    assert fresh.locator("#pysim-preview").count() == 0
    for fig in ("tok_fig", "fig_f", "probs_fig"):
        assert step_cursor(fresh, fig)["now"] == [0.5, 1.5]
    assert fresh.evaluate("performance.getEntriesByName('pysim:answers').length") == 1


def test_a_built_piece_uncovers_its_picture_and_the_others_stay(fresh, server):
    fresh.add_init_script(HOLD)
    fresh.goto(server + "?python=ask")
    fresh.wait_for_selector("#pysim-preview [data-pieces]")
    fresh.wait_for_function("window.pysim && window.pysim.model && (() => { try { "
                            "return window.pysim.model('scrub').value === 4 } catch { return false } })()")
    hidden = "[...document.querySelectorAll('#pysim-preview [data-pieces]')].filter(" \
             "(e) => e.style.visibility === 'hidden').map((e) => e.dataset.pieces)"
    assert fresh.evaluate(hidden) == []
    fresh.evaluate("window.__release()")
    fresh.evaluate("window.pysim.drawn")
    assert fresh.locator("#pysim-preview").count() == 0  # all built: the pictures are gone


@pytest.mark.parametrize("query, width", [("", 412), ("", 1280), ("?lang=zh", 412),
                                          ("?embed", 700), ("?embed", 412),
                                          ("?embed&views=f,tokens", 700)])
def test_nothing_moves_while_the_page_loads(fresh, server, query, width):
    fresh.set_viewport_size({"width": width, "height": 823})
    fresh.add_init_script(SHIFTS)
    fresh.goto(server + query)
    fresh.evaluate("window.pysim.ready")
    fresh.wait_for_timeout(500)
    assert fresh.evaluate("window.__shifts.reduce((a, b) => a + b, 0)") < 0.005


# a phone's viewport: the views' pieces within one viewport height of it (web/constants.py
# BUILD_MARGIN) are built at load; those further down once the reader scrolls near them
BELOW = ["fig_c", "fig_h", "unit_fig", "probs_fig"]
BUILT = "names => names.filter((n) => Bokeh.index.find_one(window.pysim.model(n)))"
TABBABLE_CANVAS = """names => names.filter((n) => {
  const v = Bokeh.index.find_one(window.pysim.model(n));
  const el = v && v.shadow_el.querySelector('.bk-Canvas');
  return el && [...el.shadowRoot.querySelectorAll('.bk-events')].some((e) => e.tabIndex >= 0);
})"""
FEATURED = "window.pysim && typeof window.pysim.url === 'function'"
TABS_BUILT = "Boolean(Bokeh.index.find_one(window.pysim.model('panels')))"


def test_a_phone_builds_the_views_below_the_fold_only_as_the_reader_comes_near(fresh, server):
    fresh.set_viewport_size({"width": 412, "height": 823})
    fresh.add_init_script(SHIFTS)
    fresh.goto(server + "?python=ask")  # no Python: the prerendered trace
    fresh.wait_for_function(FEATURED)
    fresh.wait_for_timeout(1500)  # idle: nothing else is built while the reader stays at the top
    built = fresh.evaluate(BUILT, PIECES)
    assert built[:1] == ["row_text"] and "tok_fig" in built and "fig_f" in built
    assert not set(BELOW) & set(built), built
    assert fresh.locator("#pysim-preview").count() == 1  # their pictures stand in for them
    assert fresh.evaluate(TABS_BUILT) is False  # nor the tabs, at the bottom
    assert fresh.evaluate("performance.getEntriesByName('pysim:drawn').length") == 0
    for _ in range(16):  # the reader scrolls down: each is built before it is in sight
        fresh.mouse.wheel(0, 300)
        fresh.wait_for_timeout(250)
    fresh.wait_for_function("!document.getElementById('pysim-preview')")  # all built: it goes
    assert fresh.evaluate(BUILT, PIECES) == PIECES
    assert fresh.evaluate("performance.getEntriesByName('pysim:drawn').length") == 1
    fresh.wait_for_function(TABS_BUILT)  # and the tabs, the cell diagram open with its equations
    fresh.wait_for_function("(Bokeh.index.find_one(window.pysim.model('diagram_eq_fig')) || {canvas_view:"
                            " {overlays_el: {textContent: ''}}}).canvas_view.overlays_el.textContent"
                            ".includes('f_t')")
    fresh.wait_for_timeout(300)
    assert fresh.evaluate(TABBABLE_CANVAS, BELOW) == []  # features/a11y.js swept them too
    assert fresh.evaluate("window.__shifts.reduce((a, b) => a + b, 0)") < 0.005
    for fig in BELOW[:2] + ["probs_fig"]:  # with their step cursors, at the step the page is on
        assert step_cursor(fresh, fig)["now"] == [3.5, 4.5]


def test_reading_pysim_drawn_builds_every_view(fresh, server):
    fresh.set_viewport_size({"width": 412, "height": 823})
    fresh.goto(server + "?python=ask")
    fresh.wait_for_function(FEATURED)
    fresh.evaluate("window.pysim.drawn")  # a test author's: every view, seen or not
    assert fresh.evaluate(BUILT, PIECES) == PIECES
    assert fresh.evaluate("window.pysim.state().ready") is False  # and still no Python


def test_pictures_left_below_never_show_another_texts_numbers(fresh, server):
    fresh.set_viewport_size({"width": 412, "height": 823})
    fresh.goto(server)
    fresh.wait_for_function(FEATURED + " && window.pysim.state().ready")
    assert not set(BELOW) & set(fresh.evaluate(BUILT, PIECES))
    picture = "getComputedStyle(document.querySelector('#pysim-preview [data-pieces=fig_c] canvas')).visibility"
    assert fresh.evaluate(picture) == "visible"
    fresh.evaluate("window.pysim.setText('leave Shanghai today')")
    assert fresh.evaluate(picture) == "hidden"  # its place kept, its numbers (the example's) gone
    fresh.evaluate("window.pysim.drawn")
    assert fresh.locator("#pysim-preview").count() == 0
    t = fresh.evaluate("window.pysim.state().t")  # built, it shows the new text's step
    assert len(fresh.evaluate("window.pysim.state().tokens")) == 3
    assert step_cursor(fresh, "fig_c")["now"] == [t - 0.5, t + 0.5]


def test_a_row_of_controls_built_late_gets_its_names(fresh, server):
    fresh.set_viewport_size({"width": 700, "height": 300})  # a phone on its side: the steps' row below
    fresh.goto(server + "?python=ask")
    fresh.wait_for_function(FEATURED)
    assert "row_steps" not in fresh.evaluate(BUILT, PIECES)
    for _ in range(4):
        fresh.mouse.wheel(0, 200)
        fresh.wait_for_timeout(250)
    fresh.wait_for_function("Bokeh.index.find_one(window.pysim.model('row_steps'))")
    fresh.wait_for_function("[...Bokeh.index.find_one(window.pysim.model('scrub')).shadow_el"
                            ".querySelectorAll('.noUi-handle')].every((h) => h.getAttribute('aria-label'))")
