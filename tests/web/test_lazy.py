"""Python when it is needed (web/start.js, web/lazy.js), end to end in Chromium.

- An embed (`?embed`) below the fold of its parent page draws its prerendered trace and does not
  fetch Python (no request for pyodide/ or worker.js reaches the server) until it is scrolled into
  view; then Python starts and traces as native pysim does.
- `&python=now` starts it at once; a touch (pointerdown) starts it; awaiting `pysim.ready` starts it.
- A started Python downloads at once but boots (compiles its wasm) only once the page's views in
  sight are built (web/bridge.js go()): with BokehJS held back, the wasm is fetched and Python is
  not ready after longer than a boot takes; let through, Python boots and traces as native pysim.
  `&python=now` and a page in a background tab (document.hidden, which builds nothing) boot it
  at once, BokehJS held back.
- A phone visit with Save-Data (navigator.connection overridden before the page runs): the
  article's two sentences are shown and stepped with no Python fetched at all (the second one's
  trace was prepared by build.py), and typing shows the prompt with Python's size; its button
  starts Python, which then traces the typed text.
Requests are checked on the server's log (tests/web/servers.py): a SharedWorker's fetches are not
visible to Playwright's request events.
"""
from __future__ import annotations

import json
import zlib

import numpy as np
import pytest

from pysim import api, presets
from tests.web.servers import SiteServer

pytestmark = pytest.mark.e2e

ARTICLE = presets.ARTICLE_SENTENCES
SAVE_DATA = """Object.defineProperty(Navigator.prototype, 'connection', { configurable: true,
  get: () => ({ saveData: true, effectiveType: '4g', addEventListener() {}, removeEventListener() {} }) });"""


def native(text, preset="beijing"):
    return api.trace_json(presets.load(preset), text)


def assert_native(state, text, preset="beijing"):
    """The page's trace of `text` equals native pysim's to 1e-12 (tokens, every gate, probs)."""
    ref = native(text, preset)
    assert state["text"] == text and state["tokens"] == ref["tokens"]
    for got, want in zip(state["layers"], ref["layers"]):
        for k in "figoch":
            np.testing.assert_allclose(got[k], want[k], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(state["probs"], ref["probs"], rtol=1e-12, atol=1e-12)


@pytest.fixture(scope="module")
def srv(site):
    (site[0] / "lazy-below.html").write_text(
        "<!doctype html><title>a post</title><link rel=\"icon\" href=\"favicon.svg\">"
        "<p style=\"height:2400px\">A long blog post before the embed.</p>"
        '<iframe id="e" src="./?embed&text=leave+Beijing+today" width="760" height="700"></iframe>')
    s = SiteServer(site[0])
    yield s
    s.stop()


def python_requests(srv, since):
    return [p for p in srv.requests()[since:] if p.startswith("/pyodide/") or p == "/worker.js"]


def embed_python(page):
    return page.evaluate("document.getElementById('e').contentWindow.pysim.python()")


def test_embed_below_the_fold_starts_python_when_scrolled_into_view(fresh, srv):
    since = len(srv.log)
    fresh.set_viewport_size({"width": 1000, "height": 800})
    fresh.goto(srv.url + "lazy-below.html")
    frame = fresh.frame_locator("#e")
    fresh.wait_for_function("document.getElementById('e').contentWindow.pysim")
    fresh.evaluate("document.getElementById('e').contentWindow.pysim.drawn")
    fresh.wait_for_timeout(1500)  # time enough for an eager start to have fetched something
    assert embed_python(fresh) == {"started": False, "mode": "view"}
    assert python_requests(srv, since) == []
    assert "/index.html" in srv.requests()[since:] or "/" in srv.requests()[since:]
    assert "scroll here" in frame.locator("#pysim-status-text").inner_text()
    fresh.mouse.wheel(0, 2400)
    fresh.wait_for_function("document.getElementById('e').contentWindow.pysim.python().started === true")
    fresh.wait_for_function("document.getElementById('e').contentWindow.pysim.state().ready", timeout=120_000)
    assert "/pyodide/pyodide.asm.wasm" in python_requests(srv, since)
    # its words were shown at once (pending, web/opening.js); Python has now traced them
    fresh.wait_for_function("(s => s.text === 'leave Beijing today' && !s.pending)"
                            "(document.getElementById('e').contentWindow.pysim.state())")
    assert_native(fresh.evaluate("document.getElementById('e').contentWindow.pysim.state()"), "leave Beijing today")


def test_embed_starts_when_touched_or_asked(fresh, srv):
    fresh.set_viewport_size({"width": 1000, "height": 800})
    fresh.goto(srv.url + "lazy-below.html")
    fresh.wait_for_function("document.getElementById('e').contentWindow.pysim")
    fresh.evaluate("document.getElementById('e').contentWindow.pysim.drawn")
    assert embed_python(fresh)["started"] is False
    # a touch inside the embed (out of view: no scrolling) starts it
    fresh.evaluate("""() => { const d = document.getElementById('e').contentDocument;
      d.getElementById('pysim-stage').dispatchEvent(new PointerEvent('pointerdown', { bubbles: true })); }""")
    assert embed_python(fresh)["started"] is True
    # reading pysim.ready (a test author awaiting it without start()) starts Python too
    fresh.reload()
    fresh.wait_for_function("document.getElementById('e').contentWindow.pysim")
    assert embed_python(fresh)["started"] is False
    assert fresh.evaluate("() => { const p = document.getElementById('e').contentWindow.pysim;"
                          " p.ready; return p.python().started; }") is True
    # &python=now: at once, in view or not
    fresh.goto(srv.url + "?embed&python=now")
    fresh.wait_for_function("window.pysim")
    assert fresh.evaluate("window.pysim.python().mode || window.pysim.python().boot") in ("now", "fresh")
    assert fresh.evaluate("window.pysim.python().started !== false")


def test_python_downloads_at_once_and_boots_once_the_views_in_sight_are_built(fresh, srv):
    held, let_through = [], []
    fresh.route("**/bokeh/*.js", lambda route: route.continue_() if let_through else held.append(route))
    since = len(srv.log)
    fresh.goto(srv.url)  # the full page: Python starts at once
    fresh.wait_for_function("window.pysim && window.pysim.python().started !== false")
    for _ in range(200):  # its downloads start at once
        if "/pyodide/pyodide.asm.wasm" in python_requests(srv, since):
            break
        fresh.wait_for_timeout(50)
    assert "/pyodide/pyodide.asm.wasm" in python_requests(srv, since)
    fresh.wait_for_timeout(8000)  # a boot takes ~4 s here: it has not begun
    assert held and fresh.evaluate("window.pysim.state().ready") is False
    let_through.append(True)
    for route in held:
        route.continue_()
    fresh.wait_for_function("window.pysim.state().ready", timeout=120_000)
    assert_native(fresh.evaluate("window.pysim.state()"), ARTICLE[0])


def test_python_now_boots_at_once(fresh, srv):
    held = []
    fresh.route("**/bokeh/*.js", lambda route: held.append(route))  # no views: not even in sight
    fresh.goto(srv.url + "?python=now")
    fresh.wait_for_function("window.pysim && window.pysim.state().ready", timeout=120_000)
    assert held and fresh.evaluate("performance.getEntriesByName('pysim:answers').length") == 0


def test_a_page_in_a_background_tab_boots_python_at_once(fresh, srv):
    fresh.add_init_script("""Object.defineProperty(Document.prototype, 'hidden', { get: () => true });
      Object.defineProperty(Document.prototype, 'visibilityState', { get: () => 'hidden' });""")
    held = []
    fresh.route("**/bokeh/*.js", lambda route: held.append(route))  # no views: not even in sight
    fresh.goto(srv.url)
    fresh.wait_for_function("window.pysim && window.pysim.state().ready", timeout=120_000)
    assert held and fresh.evaluate("performance.getEntriesByName('pysim:answers').length") == 0
    assert_native(fresh.evaluate("window.pysim.state()"), ARTICLE[0])  # (BokehJS still held)


def test_save_data_phone_steps_the_article_without_python_then_asks(fresh, srv, site):
    since = len(srv.log)
    fresh.add_init_script(SAVE_DATA)
    fresh.set_viewport_size({"width": 375, "height": 800})
    fresh.goto(srv.url)
    fresh.evaluate("window.pysim.drawn")
    assert fresh.evaluate("window.pysim.python()") == {"started": False, "mode": "ask"}
    status = fresh.inner_text("#pysim-status-text")
    size = site[1]  # the manifest: the prompt's size is what dist/pyodide/ holds, compressed
    assert "Python" in status and "MB" in status
    # the article's second sentence, then its first: prerendered, stepped with no Python
    for k in (1, 0):
        fresh.get_by_role("button", name=ARTICLE[k]).click()
        fresh.wait_for_function(f"window.pysim.state().text === {json.dumps(ARTICLE[k])}")
        assert_native(fresh.evaluate("window.pysim.state()"), ARTICLE[k])
        fresh.locator("body").click(position={"x": 5, "y": 5})  # the keys step (not on a button)
        fresh.keyboard.press("Home")
        fresh.wait_for_function("window.pysim.state().t === 0")
        fresh.keyboard.press("ArrowRight")
        fresh.wait_for_function("window.pysim.state().t === 1")
        assert fresh.evaluate("window.pysim.state().tokens") == ARTICLE[k].split()
    assert python_requests(srv, since) == []
    files = {p.lstrip("/") or "index.html" for p in srv.requests()[since:]} & set(size["files"])
    raw = sum(size["files"][f]["bytes"] for f in files)
    packed = sum(len(zlib.compress((site[0] / f).read_bytes(), 6)) for f in files)
    print(f"\nSave-Data visit before Python: {raw / 1e6:.2f} MB served, {packed / 1e6:.2f} MB gzipped")
    assert packed < 2e6  # issue 13: a phone visit transfers at most 2 MB before Python
    # typing needs Python: the prompt says so, with the size, and nothing is fetched yet
    box = fresh.locator("input[type=text]").first
    box.fill("leave Beijing on Monday")
    fresh.wait_for_selector("#pysim-ask:not([hidden])")
    prompt = fresh.inner_text("#pysim-ask")
    boot = json.loads(fresh.inner_text("#pysim-boot"))
    assert f"{boot['python']['gzip'] / 1e6:.1f} MB" in prompt and "Typing" in prompt
    assert 5e6 < boot["python"]["gzip"] < boot["python"]["bytes"] == sum(
        f["bytes"] for p, f in size["files"].items() if p.startswith("pyodide/"))
    fresh.wait_for_timeout(500)
    assert python_requests(srv, since) == [] and fresh.evaluate("window.pysim.state().ready") is False
    fresh.click("#pysim-ask-load")
    assert fresh.is_hidden("#pysim-ask")
    fresh.wait_for_function("window.pysim.state().ready", timeout=120_000)
    fresh.wait_for_function("window.pysim.state().text === 'leave Beijing on Monday'")
    assert_native(fresh.evaluate("window.pysim.state()"), "leave Beijing on Monday")
    assert fresh.evaluate("window.pysim.python().shared") is False  # the full page: its own worker
