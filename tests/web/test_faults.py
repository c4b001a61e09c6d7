"""Faults: a missing or damaged file, and a worker that crashes mid-trace.

Each test loads a fresh page (a fresh context: no service worker, no HTTP cache), breaks one
thing with a route, and checks that the page says what broke (the file and the HTTP status or
the reason), keeps the prerendered or last trace on screen and usable, and that Retry starts
Python again. The only console errors allowed are those of the deliberate fault.

The crash: an uncaught exception inside the worker while it handles a trace request, which is
what any bug in worker.js or in Pyodide's JS glue looks like to the page (an `error` event on
the Worker). It is thrown from outside, through the DevTools protocol (Playwright's
worker.evaluate wraps the worker's onmessage); the product has no test hook for it.
"""
from __future__ import annotations

import numpy as np
import pytest

from build_wheel import WHEEL_PREFIX
from pysim import api, presets
from tests.conftest import new_page, step_cursor

pytestmark = pytest.mark.e2e

DEFAULT = presets.default_text(presets.NAMES[0]).split()
LOAD_ERRORS = ["Failed to load resource", "could not load"]  # the fault's own console noise


@pytest.fixture
def page(browser):
    page = new_page(browser)
    yield page
    page.watch.check()
    page.context.close()


def error_panel(page):
    page.wait_for_function("!document.getElementById('pysim-error').hidden", timeout=30_000)
    assert page.is_visible("#pysim-retry")
    text = page.inner_text("#pysim-error-text")
    print(f"\nerror panel: {text}\nstatus: {page.inner_text('#pysim-status-text')}")
    return text


def wait_python(page):
    page.wait_for_function("window.pysim.state().ready", timeout=60_000)


def bokeh(page, name, key):
    return page.evaluate(f"window.pysim.model('{name}').{key}")


def assert_trace_usable(page, tokens):
    """The trace on screen is intact and can still be stepped and scrubbed."""
    page.evaluate("window.pysim.drawn")  # (the error may come before BokehJS has loaded)
    assert page.evaluate("window.pysim.state().tokens") == tokens
    assert bokeh(page, "tokens", "data.token") == tokens
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("Home")
    page.wait_for_function("window.pysim.state().t === 0")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("window.pysim.state().t === 1")
    assert step_cursor(page, "fig_f")["curtain"] == 1.5
    # drag the step slider to its end
    handle = page.locator(".bk-Slider .noUi-handle").first
    track = page.locator(".bk-Slider .noUi-base").first.bounding_box()
    h = handle.bounding_box()
    page.mouse.move(h["x"] + h["width"] / 2, h["y"] + h["height"] / 2)
    page.mouse.down()
    page.mouse.move(track["x"] + track["width"] + 20, h["y"] + h["height"] / 2, steps=5)
    page.mouse.up()
    page.wait_for_function(f"window.pysim.state().t === {len(tokens) - 1}")


def missing(page, server, pattern, file):
    page.watch.allowed += LOAD_ERRORS
    page.route(pattern, lambda route: route.fulfill(status=404, body="not here"))
    page.goto(server)
    text = error_panel(page)
    assert f"could not load {file}" in text and "HTTP 404" in text, text
    status = page.inner_text("#pysim-status")
    assert "not running" in status and file in status and "404" in status, status
    assert_trace_usable(page, DEFAULT)


def test_a_missing_wheel_is_named(page, server):
    missing(page, server, f"**/pyodide/{WHEEL_PREFIX}*.whl", WHEEL_PREFIX)


def test_a_missing_wasm_is_named_and_retry_recovers(page, server):
    pattern = "**/pyodide/pyodide.asm.wasm"
    missing(page, server, pattern, "pyodide.asm.wasm")
    # the file is back: Retry starts Python and traces the text on screen again
    page.unroute(pattern)
    page.click("#pysim-retry")
    assert page.is_hidden("#pysim-error")
    wait_python(page)
    page.evaluate("window.pysim.ready")
    assert "Python ready" in page.inner_text("#pysim-status")
    page.evaluate("window.pysim.setText('leave Beijing')")
    assert page.evaluate("window.pysim.state().tokens") == ["leave", "Beijing"]


def test_a_damaged_wheel_fails_its_sha256(page, server):
    page.watch.allowed += LOAD_ERRORS + ["integrity", "digest"]
    page.route(f"**/pyodide/{WHEEL_PREFIX}*.whl", lambda route: route.fulfill(
        status=200, body=b"PK\x03\x04 not really a wheel" * 100, content_type="application/zip"))
    page.goto(server)
    text = error_panel(page)
    assert f"could not load {WHEEL_PREFIX}" in text and "sha256 does not match" in text, text
    assert_trace_usable(page, DEFAULT)


def test_a_damaged_wasm_is_reported_not_awaited_forever(page, server):
    # Pyodide itself only logs this ("wasm instantiation failed!") and never settles
    page.watch.allowed += LOAD_ERRORS
    page.route("**/pyodide/pyodide.asm.wasm", lambda route: route.fulfill(
        status=200, body=b"\0asm garbage" * 1000, content_type="application/wasm"))
    page.goto(server)
    text = error_panel(page)
    assert "could not load pyodide.asm.wasm" in text and "not valid WebAssembly" in text, text
    assert_trace_usable(page, DEFAULT)


def test_a_missing_bokehjs_keeps_the_trace_as_pictures(page, server):
    """BokehJS does not load: the page says which file and offers a reload; the prerendered
    trace stays on screen (as the first paint's pictures) and Python still starts."""
    page.watch.allowed += LOAD_ERRORS
    page.route("**/bokeh/bokeh-widgets-*.js", lambda route: route.fulfill(status=404, body="no"))
    page.goto(server)
    text = error_panel(page)
    assert "could not be drawn" in text and "bokeh-widgets" in text, text
    assert page.locator("#pysim-preview canvas").count() == 6  # the six heatmaps
    assert page.locator("#pysim-preview .pv-words span").all_inner_texts() == DEFAULT
    page.wait_for_function("document.getElementById('pysim-status').className === 'ready'",
                           timeout=60_000)


def test_a_missing_worker_script(page, server):
    page.watch.allowed += LOAD_ERRORS
    page.route("**/worker.js", lambda route: route.fulfill(status=404, body="not here"))
    page.goto(server)
    text = error_panel(page)
    assert "the Python worker stopped" in text and "worker.js" in text, text
    assert_trace_usable(page, DEFAULT)


def crash_next_trace(page):
    """The page's worker throws on its next trace request (see the module docstring)."""
    (worker,) = [w for w in page.workers if w.url.split("?")[0].endswith("/worker.js")]
    worker.evaluate("""() => {
      const handle = self.onmessage;
      self.onmessage = (ev) => {
        if (ev.data.method === "trace") throw new Error("simulated crash in the worker");
        return handle(ev);
      };
    }""")


def test_a_worker_crash_mid_trace_keeps_the_trace_and_retry_traces_again(page, server):
    page.watch.allowed += ["simulated crash"]
    preset = presets.NAMES[1]
    first, second = "leave Beijing", "arrive Beijing on November 2nd"
    page.goto(server)
    page.evaluate("window.pysim.ready")
    page.evaluate("p => window.pysim.setPreset(p)", preset)
    page.evaluate("t => window.pysim.setText(t)", first)
    crash_next_trace(page)
    err = page.evaluate("t => window.pysim.setText(t).then(() => 'traced', e => e.message)", second)
    assert "the Python worker stopped" in err and "simulated crash" in err
    text = error_panel(page)
    assert "simulated crash" in text and "Retry" in page.inner_text("#pysim-error")
    assert "not running" in page.inner_text("#pysim-status")
    # nothing already shown is lost
    state = page.evaluate("window.pysim.state()")
    assert state["tokens"] == first.split() and state["preset"] == preset
    assert_trace_usable(page, first.split())
    # Retry: a new worker, the chosen model again, and the interrupted text traced
    page.click("#pysim-retry")
    page.wait_for_function(f"window.pysim.state().ready && window.pysim.state().text === {second!r}",
                           timeout=60_000)
    state = page.evaluate("window.pysim.state()")
    assert state["tokens"] == second.split() and state["preset"] == preset
    want = api.trace_json(presets.load(preset), second)
    assert state["layers"][0]["c"][-1] == pytest.approx(want["layers"][0]["c"][-1], abs=1e-12)
    assert page.is_hidden("#pysim-error")


def crash_and_retry(page, text):
    """Crash the worker on tracing `text`, press Retry, wait until the new one has traced it."""
    crash_next_trace(page)
    err = page.evaluate("t => window.pysim.setText(t).then(() => 'traced', e => e.message)", text)
    assert "simulated crash" in err
    page.click("#pysim-retry")
    page.wait_for_function("t => window.pysim.state().ready && window.pysim.state().text === t",
                           arg=text, timeout=60_000)


def assert_native(page, model, text, tol=1e-12):
    st = page.evaluate("window.pysim.state()")
    want = api.trace_json(model, text)
    assert st["tokens"] == want["tokens"]
    for k in "figoch":
        np.testing.assert_allclose(st["layers"][0][k], want["layers"][0][k], rtol=0, atol=tol)
    np.testing.assert_allclose(np.ravel(st["probs"]), np.ravel(want["probs"]), rtol=0, atol=tol)


def test_retry_brings_back_a_loaded_model(page, server):
    """A model loaded from a file is the current model again after a crash and Retry."""
    from pysim import io as pio
    from pysim.model import Config, Model
    page.watch.allowed += ["simulated crash"]
    base = presets.load(presets.NAMES[0]).config
    model = Model.random(Config(input_size=4, hidden_size=5, vocab=list(base.vocab),
                                tags=list(base.tags)), seed=3)
    page.goto(server)
    page.evaluate("window.pysim.ready")
    info = page.evaluate("async ([b, name]) => window.pysim.loadModel(new Uint8Array(b), name)",
                         [list(pio.to_bytes(model)), "mine.npz"])
    assert info["name"] == "file: mine.npz"
    crash_and_retry(page, "leave Beijing")
    assert page.evaluate("window.pysim.state().preset") == "file: mine.npz"
    assert_native(page, model, "leave Beijing")  # the file's model, not the default one
    assert "mine.npz" in page.inner_text("#pysim-status")
    # another preset and back: the restarted worker has the file's model under its name
    page.evaluate("p => window.pysim.setPreset(p)", presets.NAMES[1])
    page.evaluate("window.pysim.setPreset('file: mine.npz')")
    assert_native(page, model, page.evaluate("window.pysim.state().text"))


def test_retry_brings_back_a_trained_model_as_training_left_it(page, server):
    from pysim import io as pio
    page.watch.allowed += ["simulated crash"]
    page.goto(server)
    page.evaluate("window.pysim.ready")
    done = page.evaluate("window.pysim.train({task: 'beijing', steps: 6, reset: true})")
    assert done["steps"] == 6 and done["name"] == "trained: beijing"
    trained = pio.load_any(bytes(page.evaluate(
        "async () => Array.from(await window.pysim.exportModel())")))
    crash_and_retry(page, "leave Beijing")
    assert page.evaluate("window.pysim.state().preset") == "trained: beijing"
    assert_native(page, trained, "leave Beijing")
    status = page.evaluate("window.pysim.model('train_status').text")
    assert "Python was restarted" in status and "step 6" in status, status
    # Start trains afresh: a new run from step 0
    again = page.evaluate("window.pysim.train({steps: 2})")
    assert again["steps"] == 2 and again["name"] == "trained: beijing"
