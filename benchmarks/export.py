"""How long the page takes to hand over a big model's .npz ("Download model", pysim.exportModel).

    python benchmarks/export.py [--runs 5] [--dist DIR]

A model with ~19 MB of float64 parameters (2 layers, H = E = 256, a vocabulary of 5000 words,
2 tags) is loaded with pysim.loadModel; then pysim.exportModel() (np.savez, what the page does)
and pysim.exportModel({compressed: true}) (np.savez_compressed, what it did before) are each
timed `runs` times, in the page: from the call to the Uint8Array in hand (the worker's Python
call, the bytes copied out of the wasm heap once, the buffer transferred to the page). For
comparison, pysim.io.to_bytes both ways natively. Builds the site into a temp dir unless --dist
is given; Debian's Chromium through Playwright, as benchmarks/run.py.
"""
from __future__ import annotations

import argparse
import base64
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import browser as br  # noqa: E402
from pysim import io as pio  # noqa: E402
from pysim.model import UNK, Config, Model  # noqa: E402

SIZE = dict(E=256, H=256, L=2, V=5000)
TIME_EXPORT = """async (opts) => {
  const t = performance.now();
  const bytes = await window.pysim.exportModel(opts);
  return [performance.now() - t, bytes.length];
}"""


def big_model() -> Model:
    vocab = [UNK] + [f"w{k}" for k in range(SIZE["V"] - 1)]
    return Model.random(Config(SIZE["E"], SIZE["H"], SIZE["L"], vocab=vocab, tags=["O", "X"]),
                        seed=0)


def native(model: Model, runs: int) -> dict:
    out = {}
    for compress in (False, True):
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            pio.to_bytes(model, compress=compress)
            times.append((time.perf_counter() - t) * 1000)
        out[compress] = statistics.median(times)
    return out


def in_page(dist: Path, data: bytes, runs: int) -> dict:
    from playwright.sync_api import sync_playwright
    srv, url = br.start_server(dist)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=br.CHROMIUM, args=br.CHROMIUM_ARGS)
            page = browser.new_page()
            page.set_default_timeout(120_000)
            page.goto(url)
            page.evaluate("window.pysim.ready")
            load_ms = page.evaluate("""async (b64) => {
              const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
              const t = performance.now();
              await window.pysim.loadModel(bytes, "big.npz");
              return performance.now() - t;
            }""", base64.b64encode(data).decode())
            out = {"load": load_ms}
            for compressed in (False, True):
                got = [page.evaluate(TIME_EXPORT, {"compressed": compressed}) for _ in range(runs)]
                out[compressed] = (statistics.median(ms for ms, _ in got), got[0][1])
            browser.close()
    finally:
        srv.shutdown()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dist", type=Path, help="a built site (default: build one in a temp dir)")
    args = ap.parse_args(argv)
    model = big_model()
    params = sum(p.size for p in model.parameters().values())
    data = pio.to_bytes(model, compress=False)
    print(f"model: {params:,} float64 parameters ({params * 8 / 1e6:.1f} MB), "
          f"file {len(data) / 1e6:.1f} MB; median of {args.runs} runs")
    nat = native(model, args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        dist = args.dist or br.build_site(Path(tmp))
        page = in_page(dist, data, args.runs)
    print(f"pysim.loadModel (once, with the views redrawn): {page['load']:.0f} ms")
    for compressed, what in ((False, "np.savez (now)"), (True, "np.savez_compressed (before)")):
        ms, size = page[compressed]
        print(f"exportModel, {what}: {ms:.0f} ms in the page, {size / 1e6:.1f} MB; "
              f"io.to_bytes natively {nat[compressed]:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
