"""The site under a strict Content-Security-Policy (no inline scripts, no eval, no data: images).

Its own server sends STRICT_CSP with every response (the page, the worker's script, the
service worker's). A violation is a console error, and an init script also reports every
`securitypolicyviolation` event as one, so any blocked script, style, image or worker fails.
"""
from __future__ import annotations

import threading
import time

import pytest

import build
from tests.conftest import new_page
from tests.web.servers import STRICT_CSP

pytestmark = pytest.mark.e2e

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  (window.__csp = window.__csp || []).push(`${e.violatedDirective} ${e.blockedURI}`);
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
});
"""
# (in a task of its own: code evaluated by the test driver itself is exempt from the policy)
TRY_EVAL = """() => new Promise((resolve) => setTimeout(() => {
  try { eval("1"); resolve("eval allowed"); } catch (e) { resolve(e.name); }
}))"""


def wait_until(page, predicate, timeout=10.0):
    """page.wait_for_function evaluates its predicate with eval, which the policy refuses:
    poll with page.evaluate instead."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(predicate):
        assert time.monotonic() < deadline, f"timed out waiting for {predicate}"
        page.wait_for_timeout(50)


@pytest.fixture(scope="module")
def csp_url(site):
    srv = build.serve(site[0], 0, csp=STRICT_CSP)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/"
    srv.shutdown()
    srv.server_close()


@pytest.fixture(scope="module")
def page(browser, csp_url):
    page = new_page(browser)
    page.add_init_script(REPORT_VIOLATIONS)
    with page.expect_response(csp_url) as resp:
        page.goto(csp_url)
    assert resp.value.headers["content-security-policy"] == STRICT_CSP
    yield page
    page.context.close()


@pytest.fixture(autouse=True)
def no_console_errors(page):
    yield
    page.watch.check()
    assert page.evaluate("window.__csp || []") == []


def test_the_policy_is_in_force(page):
    page.evaluate("window.pysim.ready")
    assert page.evaluate(TRY_EVAL) == "EvalError"
    (worker,) = [w for w in page.workers if w.url.endswith("worker.js")]
    assert worker.evaluate(TRY_EVAL) == "EvalError"  # the Python worker runs under it too
    # the two refused evals above are reported; nothing else may be
    page.watch.errors.clear()
    page.evaluate("window.__csp = []")


def test_draws_traces_and_steps_under_the_policy(page):
    page.evaluate("window.pysim.ready")
    page.evaluate("window.pysim.setText('leave Beijing on November 2nd')")
    page.evaluate("window.pysim.step(-2)")
    state = page.evaluate("window.pysim.state()")
    assert state["tokens"] == "leave Beijing on November 2nd".split() and state["t"] == 2
    page.evaluate("window.pysim.play()")
    wait_until(page, "() => window.pysim.state().t === 4")
    # the canvas shows colours
    assert len(set(page.locator(".bk-Figure").nth(1).screenshot())) > 100


def test_widgets_icons_and_tooltips_under_the_policy(page):
    page.evaluate("window.pysim.ready")
    # BokehJS's icons (toolbar, <select> arrow) are files now: they load, nothing is blocked
    icons = page.evaluate("""() => performance.getEntriesByType('resource')
        .map(e => e.name).filter(n => n.includes('/bokeh/icons/'))""")
    assert icons, "no Bokeh icon was loaded from bokeh/icons/"
    box = page.locator("input[type=text]").first
    box.fill("arrive Beijing")
    box.press("Enter")
    wait_until(page, "() => window.pysim.state().text === 'arrive Beijing'")
    canvas = page.locator(".bk-Figure").nth(1)
    b = canvas.bounding_box()
    page.mouse.move(b["x"] + b["width"] * 0.3, b["y"] + b["height"] * 0.5)
    page.locator(".bk-tooltip-content").first.wait_for(timeout=5000)


def test_service_worker_registers_under_the_policy(page):
    page.evaluate("window.pysim.ready")
    wait_until(page, "() => navigator.serviceWorker.controller !== null", timeout=30)
    assert page.evaluate("caches.keys()")[0].startswith("pysim-")
