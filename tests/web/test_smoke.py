"""The smallest end-to-end check that a build works, whichever Python built it.

CI runs it with a second Python (3.13, its own venv: .ci/run): the `site` fixture builds with the
interpreter that runs the tests, so a 3.13 build (whose pysim wheel ships sources) is started in
real Chromium. A first visit boots Python afresh and traces exactly as native pysim; a second
visit in the same browser comes back from the memory snapshot the first one kept (keyed by the
build id, which follows the wheel's content) and traces the same. No console error in either.
What the wheel holds (3.12 bytecode or sources) is checked by tests/test_build.py.
"""
from __future__ import annotations

import time

import numpy as np
import pytest

from pysim import api, presets
from tests.conftest import ConsoleWatch

pytestmark = pytest.mark.e2e

TEXT = "leave Beijing on November 2nd"

SNAPSHOT_KEPT = """async () => {  // the worker's IndexedDB entry (web/worker.js, snapshot.db)
  if (!(await indexedDB.databases()).some(d => d.name === "pysim-snapshot")) return false;
  return await new Promise(resolve => {
    const open = indexedDB.open("pysim-snapshot");
    open.onerror = () => resolve(false);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains("snapshots")) { db.close(); resolve(false); return; }
      const get = db.transaction("snapshots").objectStore("snapshots").getKey("current");
      get.onsuccess = () => { db.close(); resolve(get.result === "current"); };
      get.onerror = () => { db.close(); resolve(false); };
    };
  });
}"""


def visit(context, url):
    page = context.new_page()
    page.watch = ConsoleWatch(page)
    page.goto(url)
    page.evaluate("window.pysim.ready")
    return page


def assert_traces_as_native(page):
    page.evaluate("t => window.pysim.setText(t)", TEXT)
    state = page.evaluate("window.pysim.state()")
    ref = api.trace_json(presets.load(presets.NAMES[0]), TEXT)
    assert state["tokens"] == ref["tokens"] == TEXT.split()
    assert len(state["layers"]) == len(ref["layers"])
    for got, want in zip(state["layers"], ref["layers"]):
        for k in "figoch":
            np.testing.assert_allclose(got[k], want[k], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(state["probs"], ref["probs"], rtol=1e-12, atol=1e-12)


def test_python_starts_and_traces_as_native_pysim_fresh_and_from_its_snapshot(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 1400})
    try:
        first = visit(context, server)
        assert first.evaluate("window.pysim.python().boot") == "fresh"
        assert "Python ready" in first.inner_text("#pysim-status")
        assert_traces_as_native(first)
        deadline = time.monotonic() + 60
        while not first.evaluate(SNAPSHOT_KEPT):
            assert time.monotonic() < deadline, "the worker kept no snapshot"
            time.sleep(0.25)
        first.watch.check()
        first.close()
        second = visit(context, server)
        assert second.evaluate("window.pysim.python().boot") == "snapshot"
        assert_traces_as_native(second)
        second.watch.check()
    finally:
        context.close()
