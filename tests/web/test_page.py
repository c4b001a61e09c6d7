"""End to end: the built site in real headless Chromium, real Pyodide, real BokehJS.

One page for the module; every test fails on any console error, page error or dialog.
"""
from __future__ import annotations

import json

import numpy as np
import pytest

from pysim import api, presets
from tests.conftest import heatmap, new_page, probs_image, step_cursor

pytestmark = pytest.mark.e2e

ARTICLE = presets.ARTICLE_SENTENCES
HOSTILE = ['<img src=x onerror=alert(1)>', '"><script>window.__pwned=1</script>',
           "<b>bold</b>", "&amp;", "{{7*7}}"]

MODEL_DATA = """name => {
  const m = window.pysim.model(name);
  return m.data ? Object.fromEntries(Object.entries(m.data).map(([k, v]) => [k, Array.from(v)]))
                : Object.fromEntries(["left", "right", "value", "end"].map(
                    k => [k, typeof m[k] === "number" ? m[k] : null]));  // no Bokeh objects
}"""


@pytest.fixture(scope="module")
def page(browser, server):
    page = new_page(browser)
    # hold Pyodide's wasm back until the prerendered trace has been checked
    held, released = [], []

    def hold(route):
        if released:
            route.continue_()
        else:
            held.append(route)

    def release():
        released.append(True)
        while held:
            held.pop().continue_()

    page.route("**/pyodide.asm.wasm", hold)
    page.release_wasm = release
    page.goto(server)
    yield page
    page.context.close()


@pytest.fixture
def ready(page):
    """The page with Python ready (releases the held-back wasm if a test before did not)."""
    wait_ready(page)
    return page


def model(page, name):
    return page.evaluate(MODEL_DATA, name)


def wait_ready(page):
    page.release_wasm()
    page.evaluate("window.pysim.ready")


def native(text, preset=None):
    return api.trace_json(presets.load(preset or presets.NAMES[0]), text)


def close(got, want, tol=1e-12):
    """Pyodide's numpy and native numpy may differ in the last bit: compare to 1e-12."""
    np.testing.assert_allclose(np.asarray(got, dtype=float), np.asarray(want, dtype=float),
                               rtol=tol, atol=tol)


def assert_state_equals_native(state, ref, tol=1e-12):
    assert state["tokens"] == ref["tokens"]
    assert len(state["layers"]) == len(ref["layers"])
    for got, want in zip(state["layers"], ref["layers"]):
        for k in "figoch":
            np.testing.assert_allclose(got[k], want[k], rtol=tol, atol=tol)
    np.testing.assert_allclose(state["probs"], ref["probs"], rtol=tol, atol=tol)


PREVIEW_PIXELS = """() => {
  // the colour of every (step, unit) cell of the preview's forget-gate picture
  const canvas = document.querySelector("#pysim-preview canvas");
  const { width: T, height: H } = canvas;
  const px = canvas.getContext("2d").getImageData(0, 0, T, H).data;
  return Array.from({ length: T }, (_, t) => Array.from({ length: H }, (_, u) =>
    Array.from(px.slice(((H - 1 - u) * T + t) * 4, ((H - 1 - u) * T + t) * 4 + 3))));
}"""


def test_prerendered_trace_is_drawn_as_pictures_before_bokehjs(browser, server):
    """Before BokehJS has run, the prerendered trace is on screen as pictures (the forget gate's
    cells in the Viridis colours of their values); the views take their place once it has."""
    from bokeh.palettes import Viridis256
    page = new_page(browser)
    held = []
    page.route("**/bokeh/bokeh-*.js", lambda route: held.append(route))
    page.goto(server, wait_until="domcontentloaded")
    page.wait_for_function("performance.getEntriesByName('pysim:preview').length === 1")
    assert page.evaluate("typeof window.Bokeh") == "undefined"
    ref = native(presets.default_text(presets.NAMES[0]))
    f = np.array(ref["layers"][0]["f"])                                         # (T, H)
    rgb = np.array([[int(c[k:k + 2], 16) for k in (1, 3, 5)] for c in Viridis256])
    want = rgb[np.clip((f * 256).astype(int), 0, 255)]
    np.testing.assert_array_equal(np.array(page.evaluate(PREVIEW_PIXELS)), want)
    words = page.locator("#pysim-preview .pv-words span").all_inner_texts()
    assert words == ref["tokens"]
    page.route("**/bokeh/bokeh-*.js", lambda route: route.continue_())  # later requests
    for route in held:
        route.continue_()
    page.evaluate("window.pysim.drawn")
    assert page.locator("#pysim-preview").count() == 0  # the views have taken its place
    assert page.evaluate("performance.getEntriesByName('pysim:preview')[0].startTime") < \
        page.evaluate("performance.getEntriesByName('pysim:drawn')[0].startTime")
    page.watch.check()
    page.context.close()


def test_prerendered_trace_is_drawn_before_python_is_ready(page):
    page.evaluate("window.pysim.drawn")
    state = page.evaluate("window.pysim.state()")
    assert state["ready"] is False  # the wasm is held back: Python cannot be ready
    default = presets.default_text(presets.NAMES[0])
    ref = native(default)
    assert_state_equals_native(state, ref)
    np.testing.assert_array_equal(heatmap(page, "f"), ref["layers"][0]["f"])  # (T, H)
    assert model(page, "tokens")["token"] == default.split()
    # the canvas really shows colours: the forget-gate heatmap is not blank
    shot = page.locator(".bk-Figure").nth(1).screenshot()
    assert len(set(shot)) > 100
    status = page.inner_text("#pysim-status")
    assert "Loading Python" in status and "computed when the site was built" in status


def test_typing_before_ready_is_queued_not_lost(page):
    box = page.locator("input[type=text]").first
    box.fill("leave Beijing on November 2nd")
    box.press("End")
    box.type(" now")
    page.wait_for_function("!document.getElementById('pysim-message').hidden")
    assert "queued" in page.inner_text("#pysim-message")
    wait_ready(page)
    page.wait_for_function("window.pysim.state().tokens.length === 6")
    state = page.evaluate("window.pysim.state()")
    assert state["ready"] is True
    assert_state_equals_native(state, native("leave Beijing on November 2nd now"))
    assert "Python ready" in page.inner_text("#pysim-status")


def test_typing_updates_every_view(ready, page):
    text = "arrive Beijing on November 2nd please"
    box = page.locator("input[type=text]").first
    box.fill(text)
    page.wait_for_function(f"window.pysim.state().text === {json.dumps(text)}")
    ref = native(text)
    T = len(ref["tokens"])
    for k in "figoch":
        close(heatmap(page, k), ref["layers"][0][k])
    assert model(page, "tokens")["token"] == text.split()
    lines = model(page, "unit_lines")
    close(lines["c"], np.array(ref["layers"][0]["c"])[:, 0])
    close(probs_image(page), ref["probs"])
    x_end = page.evaluate("""() => window.pysim.model('fig_f').x_range.end""")
    assert x_end == T - 0.5
    assert model(page, "scrub")["end"] == T - 1


def test_stepping_moves_highlight_and_reveals_column(ready, page):
    page.evaluate("window.pysim.setText('arrive Beijing on November 2nd')")
    page.evaluate("window.pysim.seek(0)")
    assert step_cursor(page, "fig_f")["curtain"] == 0.5
    page.evaluate("window.pysim.step(1)")
    assert page.evaluate("window.pysim.state().t") == 1
    for name in ("fig_f", "fig_h", "tok_fig", "probs_fig"):
        assert step_cursor(page, name)["now"] == [0.5, 1.5]
    for name in ("fig_f", "fig_g", "fig_c", "unit_fig", "probs_fig"):
        assert step_cursor(page, name)["curtain"] == 1.5  # columns 0 and 1 revealed, 2.. hidden
    assert model(page, "scrub")["value"] == 1
    # the widgets and the keyboard do the same
    page.get_by_role("button", name="Step \u25b6").click()
    page.wait_for_function("window.pysim.state().t === 2")
    page.get_by_role("button", name="\u25c0 Back").click()
    page.wait_for_function("window.pysim.state().t === 1")
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("End")
    page.wait_for_function("window.pysim.state().t === 4")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("window.pysim.state().t === 3")
    page.evaluate("window.pysim.step(99)")  # clamped at the last step
    assert page.evaluate("window.pysim.state().t") == 4


def test_play_and_pause(ready, page):
    page.evaluate("window.pysim.seek(0)")
    page.evaluate("window.pysim.play()")
    page.wait_for_function("window.pysim.state().t >= 1", timeout=5000)
    page.evaluate("window.pysim.pause()")
    t = page.evaluate("window.pysim.state().t")
    page.wait_for_timeout(1200)
    assert page.evaluate("window.pysim.state().t") == t


@pytest.mark.parametrize("text", ARTICLE + ("Shanghai is far", "a\tb\nc"))
def test_state_equals_native_pysim(ready, page, text):
    page.evaluate("t => window.pysim.setText(t)", text)
    assert_state_equals_native(page.evaluate("window.pysim.state()"), native(text))


def test_unit_selector_redraws_the_unit_plot(ready, page):
    text = ARTICLE[1]
    page.evaluate("t => window.pysim.setText(t)", text)
    page.evaluate("window.pysim.setUnit(3)")
    ref = np.array(native(text)["layers"][0]["f"])[:, 3]
    close(model(page, "unit_lines")["f"], ref)
    title = page.evaluate("window.pysim.model('unit_fig').title.text")
    assert title.startswith("unit 3")


def test_hostile_strings_stay_text(ready, page):
    text = " ".join(HOSTILE)
    page.evaluate("t => window.pysim.setText(t)", text)
    assert page.evaluate("window.__pwned") is None
    assert model(page, "tokens")["token"] == text.split()
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert page.evaluate("document.querySelectorAll('b').length") == 0 + page.evaluate(
        "document.querySelectorAll('.lede b').length")
    # the hover tooltip shows the token as literal text
    canvas = page.locator(".bk-Figure").first
    box = canvas.bounding_box()
    T = len(text.split())
    frame_left, frame_right = box["x"] + 10, box["x"] + box["width"] - 10
    x = frame_left + (frame_right - frame_left) * (0.5 / T)
    page.mouse.move(x, box["y"] + box["height"] * 0.45)
    tip = page.locator(".bk-tooltip-content").first
    tip.wait_for(timeout=5000)
    assert "token:\t<img\n" in tip.inner_text()  # the first word, "<img", as literal text
    assert page.evaluate("window.__pwned") is None


def test_empty_text_keeps_the_last_trace(ready, page):
    page.evaluate("window.pysim.setText('arrive Beijing')")
    before = page.evaluate("window.pysim.state()")
    err = page.evaluate("window.pysim.setText('   ').then(() => 'resolved', e => e.message)")
    assert "empty" in err
    assert "empty" in page.inner_text("#pysim-message")
    after = page.evaluate("window.pysim.state()")
    assert after["tokens"] == before["tokens"] and after["layers"] == before["layers"]
    assert model(page, "tokens")["token"] == ["arrive", "Beijing"]


def test_very_long_text_is_cut_with_a_message(ready, page):
    from pysim.model import MAX_TOKENS
    text = " ".join(["arrive", "Beijing", "on", "November", "2nd"] * 1000)  # 5,000 tokens
    page.evaluate("t => window.pysim.setText(t)", text)
    state = page.evaluate("window.pysim.state()")
    assert len(state["tokens"]) == MAX_TOKENS
    assert f"first {MAX_TOKENS}" in page.inner_text("#pysim-message")
    ref = native(" ".join(text.split()[:MAX_TOKENS]))
    np.testing.assert_allclose(state["layers"][0]["c"][-1], ref["layers"][0]["c"][-1], rtol=1e-12)
    page.evaluate("window.pysim.setText('leave Beijing')")
    assert page.is_hidden("#pysim-message")


def test_switching_models_redraws_every_view(ready, page):
    """Long text on one model, then a shorter default on another: no BokehJS errors, views follow."""
    page.evaluate("t => window.pysim.setText(t)", presets.default_text("beijing"))
    page.evaluate("window.pysim.setPreset('memory')")  # the preset's own sentence comes with it
    memory = page.evaluate("window.pysim.state()")
    assert memory["preset"] == "memory" and memory["text"] == presets.default_text("memory")
    assert_state_equals_native(memory, native(memory["text"], "memory"))
    page.evaluate("window.pysim.setPreset('beijing')")
    state = page.evaluate("window.pysim.state()")
    assert state["text"] == presets.default_text("beijing")
    assert_state_equals_native(state, native(state["text"], "beijing"))
    assert model(page, "tokens")["token"] == state["text"].split()
    assert probs_image(page).shape == (len(state["tokens"]), 3)
    page.wait_for_timeout(300)  # any asynchronous BokehJS error would land now
