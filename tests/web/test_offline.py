"""Offline and repeat visits: the service worker (web/sw.js) keeps the build in one cache.

The module runs in one persistent Chromium profile (a real disk HTTP cache, as a visitor has)
against its own copy of the site and its own server, which it stops to test offline use. The
tests run in order: first visit, repeat visit, offline, new build.
"""
from __future__ import annotations

import json
import shutil
import time

import numpy as np
import pytest

import build
from pysim import api, presets
from tests.conftest import ConsoleWatch
from tests.web.servers import SiteServer
from web.offline import build_id

pytestmark = pytest.mark.e2e

TEXT = "leave Beijing on November 2nd"


@pytest.fixture(scope="module")
def dist(site, tmp_path_factory):
    out = tmp_path_factory.mktemp("offline") / "dist"
    shutil.copytree(site[0], out)
    return out


@pytest.fixture(scope="module")
def srv(dist):
    s = SiteServer(dist)
    yield s
    s.stop()


@pytest.fixture(scope="module")
def context(browser_type, browser_type_launch_args, tmp_path_factory):
    ctx = browser_type.launch_persistent_context(
        str(tmp_path_factory.mktemp("profile")), **browser_type_launch_args,
        viewport={"width": 1280, "height": 1400})
    yield ctx
    ctx.close()


def visit(context, url):
    """A new page in the context, loaded until Python is ready; page.responses lists
    (url, from_service_worker) of every response, the worker's included."""
    page = context.new_page()
    page.watch = ConsoleWatch(page)
    page.responses = []
    page.on("response", lambda r: page.responses.append((r.url, r.from_service_worker)))
    t0 = time.perf_counter()
    page.goto(url)
    page.evaluate("window.pysim.ready")
    page.ready_s = time.perf_counter() - t0
    return page


def cache_names(page):
    return page.evaluate("caches.keys()")


def cached_paths(page, name):
    return page.evaluate("""async name => {
      const keys = await (await caches.open(name)).keys();
      return keys.map(r => new URL(r.url).pathname.slice(1));
    }""", name)


def traces(page, text=TEXT):
    page.evaluate("t => window.pysim.setText(t)", text)
    page.evaluate("window.pysim.step(-1)")
    state = page.evaluate("window.pysim.state()")
    assert state["tokens"] == text.split() and state["t"] == len(text.split()) - 2
    tokens = page.evaluate("() => Array.from(window.pysim.model('tokens').data.token)")
    assert tokens == text.split()  # drawn, not only computed


def test_first_visit_loads_every_file_once_then_keeps_the_build(context, srv, dist):
    page = visit(context, srv.url)
    loaded = srv.requests(200)
    assert "/sw.js" not in srv.requests(), "the service worker must wait until Python is ready"
    assert len(loaded) == len(set(loaded)), "a file was downloaded twice during the first load"
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=30_000)
    name = f"pysim-{build_id(dist)}"
    assert cache_names(page) == [name]
    files = json.loads((dist / "manifest.json").read_text())["files"]
    want = {("" if p == "index.html" else p) for p in files} | {"manifest.json"}
    assert set(cached_paths(page, name)) == want
    # the install revalidated what the page had loaded (304 from the HTTP cache), so the big
    # files (the 10 MB wasm, the stdlib, numpy) crossed the network once
    install = srv.log[len(loaded):]
    twice = [(p, s) for p, s in install if p in loaded and s != 304]
    assert not twice, f"downloaded again by the service worker: {twice}"
    assert ("/pyodide/pyodide.asm.wasm", 304) in install
    page.watch.check()
    page.close()


def test_second_visit_is_served_from_the_cache(context, srv):
    n = len(srv.log)
    page = visit(context, srv.url)
    traces(page)
    # Python came back from the memory snapshot the first visit kept (worker.js), and computes
    # exactly what native pysim does
    assert page.evaluate("window.pysim.python().boot") == "snapshot"
    assert "restored" in page.inner_text("#pysim-status")
    state, ref = page.evaluate("window.pysim.state()"), api.trace_json(presets.load("beijing"), TEXT)
    for got, want in zip(state["layers"], ref["layers"]):
        for k in "figoch":
            np.testing.assert_allclose(got[k], want[k], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(state["probs"], ref["probs"], rtol=1e-12, atol=1e-12)
    ours = [(u, sw) for u, sw in page.responses if u.startswith(srv.url)]
    assert ours and all(sw for _, sw in ours), [u for u, sw in ours if not sw]
    got = {u[len(srv.url):] for u, _ in ours}
    assert {"", "app.js", "worker.js", "pyodide/pyodide.asm.wasm"} <= got
    assert any(u.startswith(f"pyodide/{build.build_wheel.WHEEL_PREFIX}") for u in got)
    # the network saw at most the browser's update check of sw.js
    assert set(srv.requests()[n:]) <= {"/sw.js"}
    print(f"\nrepeat visit: Python ready {page.ready_s:.2f} s after navigation, from the cache")
    page.watch.check()
    page.close()


def test_the_site_works_with_the_network_off(context, srv):
    srv.stop()  # no server at all, and the browser offline too
    context.set_offline(True)
    try:
        page = visit(context, srv.url)
        traces(page)
        page.watch.check()
        page.close()
    finally:
        context.set_offline(False)
        srv.start()


def test_a_new_build_replaces_the_cache(context, srv, dist):
    page = context.new_page()
    page.watch = ConsoleWatch(page)
    page.goto(srv.url)
    old = cache_names(page)
    assert old == [f"pysim-{build_id(dist)}"]
    # a rebuild with one file changed: the tail of build.main on the changed tree
    css = dist / "style.css"
    css.write_text(css.read_text() + "\n/* build 2 */\n")
    (dist / "sw.js").unlink()
    build.write_manifest(dist)
    from web.offline import write_service_worker
    new = f"pysim-{write_service_worker(dist)}"
    assert [new] != old
    # a navigation: the page comes from the old cache, the browser checks sw.js and installs
    # the new build, which drops the old cache and tells the open page
    page.reload()
    deadline = time.monotonic() + 30
    while cache_names(page) != [new]:
        assert time.monotonic() < deadline, f"caches stay {cache_names(page)}"
        page.wait_for_timeout(100)
    page.wait_for_function("!document.getElementById('pysim-message').hidden")
    assert "new version" in page.inner_text("#pysim-message")
    page.watch.check()
    page.close()
    # the next visit is the new build, from the new cache
    page = context.new_page()
    page.watch = ConsoleWatch(page)
    with page.expect_response(lambda r: r.url.endswith("/style.css")) as css_response:
        page.goto(srv.url)
    assert css_response.value.from_service_worker and "build 2" in css_response.value.text()
    page.evaluate("window.pysim.drawn")
    page.watch.check()
    page.close()
