"""Embeds of one site on one page share one Python (web/start.js, web/worker.js, worker/ports.js).

Three 700-px embeds on one page, each with its own text or model: one SharedWorker (the DevTools
protocol lists one shared_worker target and no dedicated worker; each embed's pysim.python() names
the same worker), one download of pyodide.asm.wasm (the server's log), and three Sessions: each
embed's trace equals native pysim's to 1e-12, and changing one (text, model, step) leaves the
others as they were. Closing one embed (removing its iframe) leaves the other two working. A
shared Python that fails to boot tells every embed; Retry in each starts one new shared Python.
"""
from __future__ import annotations

import json
import shutil

import pytest

from pysim import presets
from tests.web.servers import SiteServer
from tests.web.test_lazy import assert_native

pytestmark = pytest.mark.e2e

EMBEDS = {"a": "?embed&text=arrive+Beijing+on+November+2nd",
          "b": "?embed&text=leave+Shanghai+for+Chengdu+today",
          "c": "?embed&preset=memory"}
MEMORY_TEXT = presets.default_text("memory")


def parent(names):
    return ("<!doctype html><title>three embeds</title><link rel=\"icon\" href=\"favicon.svg\">"
            + "".join(f'<iframe name="{n}" id="{n}" src="./{EMBEDS[n]}" width="760" height="700"></iframe><br>'
                      for n in names))


@pytest.fixture(scope="module")
def srv(site):
    (site[0] / "shared-three.html").write_text(parent("abc"))
    s = SiteServer(site[0])
    yield s
    s.stop()


def workers(browser, base):
    """(type, file) of every worker target of the browser (DevTools protocol) served from `base`
    (this module's server: embeds of earlier test modules, on other servers, may still run)."""
    cdp = browser.new_browser_cdp_session()
    try:
        infos = cdp.send("Target.getTargets")["targetInfos"]
    finally:
        cdp.detach()
    return [(i["type"], i["url"].rsplit("/", 1)[-1]) for i in infos
            if i["type"] in ("worker", "shared_worker") and i["url"].startswith(base)]


def test_three_embeds_share_one_python_with_their_own_sessions(fresh, srv, browser):
    since = len(srv.log)
    fresh.set_viewport_size({"width": 1000, "height": 2300})  # all three in view: all start
    fresh.goto(srv.url + "shared-three.html")
    frames = {n: fresh.frame(name=n) for n in "abc"}
    for f in frames.values():
        f.wait_for_function("window.pysim && window.pysim.python().started !== false")
    for f in frames.values():
        f.evaluate("window.pysim.ready")
    pythons = {n: f.evaluate("window.pysim.python()") for n, f in frames.items()}
    assert {p["worker"] for p in pythons.values()} != {None}
    assert len({p["worker"] for p in pythons.values()}) == 1, pythons
    assert all(p["shared"] for p in pythons.values())
    assert sorted(p["pages"] for p in pythons.values())[-1] == 3
    assert [w for w in workers(browser, srv.url) if w[1] == "worker.js"] == [("shared_worker", "worker.js")]
    booted = srv.requests()[since:]
    booted = booted[:booted.index("/sw.js")] if "/sw.js" in booted else booted  # not the offline copy's
    assert booted.count("/pyodide/pyodide.asm.wasm") == 1 and booted.count("/worker.js") == 1
    # each embed shows its own link's text or model, computed by its own Session
    frames["a"].wait_for_function("window.pysim.state().ready")
    assert_native(frames["a"].evaluate("window.pysim.state()"), "arrive Beijing on November 2nd")
    frames["b"].wait_for_function("window.pysim.state().text === 'leave Shanghai for Chengdu today' && !window.pysim.state().pending")
    assert_native(frames["b"].evaluate("window.pysim.state()"), "leave Shanghai for Chengdu today")
    frames["c"].wait_for_function("window.pysim.state().preset === 'memory' && !window.pysim.state().pending")
    assert_native(frames["c"].evaluate("window.pysim.state()"), MEMORY_TEXT, "memory")
    # independent: a new text in b, another model in a, a step in c; each keeps its own
    frames["b"].evaluate("window.pysim.setText('leave Beijing today')")
    frames["a"].evaluate("window.pysim.setPreset('memory')")
    frames["c"].evaluate("window.pysim.seek(0)")
    assert_native(frames["b"].evaluate("window.pysim.state()"), "leave Beijing today")
    assert frames["a"].evaluate("window.pysim.state().preset") == "memory"
    assert_native(frames["c"].evaluate("window.pysim.state()"), MEMORY_TEXT, "memory")
    assert frames["c"].evaluate("window.pysim.state().t") == 0
    assert frames["b"].evaluate("window.pysim.state().t") == 2
    frames["b"].evaluate("window.pysim.setText('arrive Chengdu')")  # b's model is still beijing
    assert_native(frames["b"].evaluate("window.pysim.state()"), "arrive Chengdu")
    # closing one embed leaves the others running, on the same Python
    fresh.evaluate("document.getElementById('a').remove()")
    fresh.wait_for_timeout(300)
    frames["b"].evaluate("window.pysim.setText('leave Chengdu on November 2nd')")
    assert_native(frames["b"].evaluate("window.pysim.state()"), "leave Chengdu on November 2nd")
    frames["c"].evaluate("window.pysim.setPreset('beijing')")
    frames["c"].evaluate("window.pysim.setText('arrive Beijing today')")
    assert_native(frames["c"].evaluate("window.pysim.state()"), "arrive Beijing today")
    assert {frames[n].evaluate("window.pysim.python().worker") for n in "bc"} == {pythons["b"]["worker"]}
    assert [w for w in workers(browser, srv.url) if w[1] == "worker.js"] == [("shared_worker", "worker.js")]


def test_a_shared_python_that_fails_tells_every_embed_and_retry_starts_one_again(fresh, site, tmp_path):
    root = tmp_path / "dist"
    shutil.copytree(site[0], root)
    stdlib = root / "pyodide" / "python_stdlib.zip"
    kept = stdlib.read_bytes()
    stdlib.unlink()  # a missing file: the shared worker's boot fails
    (root / "shared-two.html").write_text(parent("bc"))
    srv = SiteServer(root)
    fresh.watch.allowed += ["Failed to load resource", "could not load"]
    try:
        fresh.set_viewport_size({"width": 1000, "height": 1600})
        fresh.goto(srv.url + "shared-two.html")
        frames = [fresh.frame(name=n) for n in "bc"]
        for f in frames:
            f.wait_for_function("!document.getElementById('pysim-error').hidden", timeout=60_000)
            assert "python_stdlib.zip" in f.inner_text("#pysim-error-text")
            assert f.evaluate("window.pysim.state().tokens") != []  # the trace on screen stays
        stdlib.write_bytes(kept)
        for f in frames:
            f.click("#pysim-retry")
        for f in frames:
            f.wait_for_function("window.pysim.state().ready", timeout=120_000)
        ids = {f.evaluate("window.pysim.python().worker") for f in frames}
        assert len(ids) == 1 and all(f.evaluate("window.pysim.python().shared") for f in frames)
        frames[0].wait_for_function("window.pysim.state().text === 'leave Shanghai for Chengdu today' && !window.pysim.state().pending")
        assert_native(frames[0].evaluate("window.pysim.state()"), "leave Shanghai for Chengdu today")
        # the link's model could not be restored while Python was down (said so): choose it now
        frames[1].evaluate("window.pysim.setPreset('memory')")
        assert_native(frames[1].evaluate("window.pysim.state()"), MEMORY_TEXT, "memory")
    finally:
        srv.stop()
