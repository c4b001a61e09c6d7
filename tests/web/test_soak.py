"""Soak: 10,000 steps with rewinding, and retraces of long texts; memory must stay flat.

The page's JS heap is measured through the DevTools protocol after a forced garbage collection
(HeapProfiler.collectGarbage, then Runtime.getHeapUsage: exact, unlike the rounded
performance.memory). The worker's memory comes from pysim.memory(): the wasm heap's size (it
only grows, so any growth means Python needed more) and the number of live Python objects
(gc.get_objects() after gc.collect()). Both are taken after a warm-up, so caches that fill once do not count.
"""
from __future__ import annotations

import time

import pytest


pytestmark = pytest.mark.e2e

STEPS = 10_000
PER_FRAME = 100          # steps between two paints (each step still updates every view)
RETRACES = 15
TEXTS = ["arrive Beijing on November 2nd", "leave Beijing on November 2nd please",
         "Shanghai is far from Beijing and from the sea"]
# ~200 words each: one retained trace would be ~0.2 MB of JS heap, 15 of them ~3 MB
LONG_TEXTS = [t + " " + " ".join([t] * 30) for t in TEXTS]
MAX_JS_GROWTH = 5e6       # bytes, over the 10,000 steps (measured: under 1.5 MB)
MAX_JS_GROWTH_RETRACES = 2e6  # bytes, over the 15 long retraces (measured: about 0.1 MB)
MAX_OBJECTS_GROWTH = 500  # live Python objects (gc.get_objects())

# steps forward, rewinding at the end, with a retrace every 500 steps; awaits a paint
# every PER_FRAME steps
SOAK = """async ([steps, perFrame, texts]) => {
  let k = 0;
  while (k < steps) {
    let last;
    for (let j = 0; j < perFrame && k < steps; j++, k++) {
      last = (k % 7 === 6) ? window.pysim.step(-2) : window.pysim.step(1);
      if (k % 97 === 96) last = window.pysim.seek(0);
    }
    await last;
    if (k % 500 === 0) await window.pysim.setText(texts[(k / 500) % texts.length]);
  }
  return window.pysim.state().t;
}"""
RETRACE = """async ([n, texts]) => {
  for (let i = 0; i < n; i++) await window.pysim.setText(texts[i % texts.length] + " " + (i % 5));
}"""


def js_heap(page, cdp):
    for _ in range(2):
        cdp.send("HeapProfiler.collectGarbage")
    return cdp.send("Runtime.getHeapUsage")["usedSize"]


def test_ten_thousand_steps_keep_the_heap_flat(page):
    cdp = page.context.new_cdp_session(page)
    page.evaluate(SOAK, [2000, PER_FRAME, TEXTS])  # warm-up
    before = js_heap(page, cdp)
    t0 = time.perf_counter()
    page.evaluate(SOAK, [STEPS, PER_FRAME, TEXTS])
    seconds = time.perf_counter() - t0
    after = js_heap(page, cdp)
    print(f"\nsoak: {STEPS} steps in {seconds:.1f} s; JS heap {before / 1e6:.2f} MB -> "
          f"{after / 1e6:.2f} MB ({(after - before) / 1e6:+.2f} MB)")
    assert after - before < MAX_JS_GROWTH
    # it still works
    page.evaluate("window.pysim.seek(2)")
    assert page.evaluate("window.pysim.state().t") == 2
    page.watch.check()


def test_retraces_keep_the_heap_and_the_worker_memory_flat(page):
    cdp = page.context.new_cdp_session(page)
    page.evaluate(RETRACE, [6, LONG_TEXTS])  # warm-up
    before, heap_before = page.evaluate("window.pysim.memory()"), js_heap(page, cdp)
    t0 = time.perf_counter()
    page.evaluate(RETRACE, [RETRACES, LONG_TEXTS])
    seconds = time.perf_counter() - t0
    after, heap_after = page.evaluate("window.pysim.memory()"), js_heap(page, cdp)
    print(f"\nretraces: JS heap {heap_before / 1e6:.2f} MB -> {heap_after / 1e6:.2f} MB "
          f"({(heap_after - heap_before) / 1e6:+.2f} MB)")
    assert heap_after - heap_before < MAX_JS_GROWTH_RETRACES
    print(f"\nworker: {RETRACES} retraces in {seconds:.1f} s; wasm heap {before['wasm'] / 1e6:.1f} MB"
          f" -> {after['wasm'] / 1e6:.1f} MB; Python objects {before['objects']} -> {after['objects']}")
    assert after["wasm"] == before["wasm"]
    assert after["objects"] - before["objects"] < MAX_OBJECTS_GROWTH
    page.watch.check()
