"""Embeds: how soon an embed's own trace is on screen, and what a first visit transfers.

    python benchmarks/embeds.py [--dist dist] [--runs 5]

1. First paint (Python held back, as on a page whose Python is still loading): the median time
   of the `pysim:preview` mark (the pictures of what the URL opens on) and of `pysim:drawn` (the
   BokehJS views) for the page's own default text (in index.html), a prepared embed (its trace
   fetched from traces/) and any other text (its words, computing), each in a fresh browser
   context.
2. Bytes: a first visit to `?embed` until Python is ready, served by build.serve() with the
   precompressed copies and without them (what the server sent, bodies only).
Not part of `make bench` (benchmarks/run.py); a focused measurement of issue 13's embed work.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import build  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

URLS = {"default text (boot data)": "?embed",
        "prepared embed (traces/)": "?embed&text=leave%20Beijing%20on%20November%202nd&t=1",
        "other text (computing)": "?embed&text=leave%20Shanghai%20for%20Chengdu%20today"}
MARK = "performance.getEntriesByName('{}').length ? performance.getEntriesByName('{}')[0].startTime : null"


def serve(dist: Path, encoded: bool):
    sent = []

    class Counting(build.Handler):
        def send_head(self):
            if not encoded and "Accept-Encoding" in self.headers:
                del self.headers["Accept-Encoding"]  # as a host that ignores the copies
            return super().send_head()

        def send_header(self, key, value):
            if key == "Content-Length":
                sent.append(int(value))
            super().send_header(key, value)

    import functools
    srv = build.http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(
        Counting, directory=str(dist)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, sent


def first_paint(browser, base, query, runs):
    marks = {"pysim:preview": [], "pysim:drawn": []}
    for _ in range(runs):
        ctx = browser.new_context(viewport={"width": 700, "height": 900})
        ctx.route("**/pyodide/**", lambda route: None)  # held: Python cannot start
        page = ctx.new_page()
        page.goto(base + query)
        page.wait_for_function("window.pysim", timeout=60000)
        page.evaluate("window.pysim.drawn")  # every view (the page builds those below when seen)
        for name in marks:
            marks[name].append(page.evaluate(MARK.format(name, name)))
        ctx.close()
    return {k: statistics.median(v) for k, v in marks.items()}


def first_visit_bytes(browser, dist, encoded):
    srv, sent = serve(dist, encoded)
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(f"http://127.0.0.1:{srv.server_address[1]}/?embed")
    page.evaluate("window.pysim.ready")
    ctx.close()
    srv.shutdown()
    return sum(sent)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--dist", default=str(ROOT / "dist"))
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    dist = Path(args.dist)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        srv, _ = serve(dist, True)
        base = f"http://127.0.0.1:{srv.server_address[1]}/"
        print(f"first paint, 700-px embed, Python held back, median of {args.runs} cold loads:")
        for label, query in URLS.items():
            got = first_paint(browser, base, query, args.runs)
            print(f"  {label:28s} pictures {got['pysim:preview']:6.0f} ms   views {got['pysim:drawn']:6.0f} ms")
        srv.shutdown()
        for encoded in (False, True):
            n = first_visit_bytes(browser, dist, encoded)
            print(f"first visit to ?embed until Python is ready, "
                  f"{'with' if encoded else 'without'} the .br/.gz copies: {n / 1e6:.1f} MB sent")
        browser.close()


if __name__ == "__main__":
    main()
