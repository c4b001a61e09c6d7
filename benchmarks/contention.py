"""How much the page's main-thread work slows Python's boot: the worker's own ready message on
the page as it is, on the page with BokehJS blocked, and on the floor page (Pyodide + numpy only).

    python benchmarks/contention.py [--runs 4]

Builds and serves the site like run.py; each run and mode in a new browser on a fresh profile.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402

MODES = ("page", "page, BokehJS blocked", "floor")


def worker_ready_ms(page, url: str, mode: str) -> float:
    if mode == "floor":
        page.goto(url + "floor.html")
        return page.evaluate("window.floorReady")
    if "blocked" in mode:
        page.route("**/bokeh/bokeh-*.js", lambda route: route.abort())
    page.goto(url)
    page.wait_for_function("() => window.__bench && window.__bench.workerReady", polling=50)
    return page.evaluate("window.__bench.workerReady.at")  # probe.js: when "ready" arrived


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=4)
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright
    ms = {mode: [] for mode in MODES}
    with tempfile.TemporaryDirectory(prefix="pysim-bench-") as tmp, sync_playwright() as pw:
        srv, url = run.start_server(run.build_site(Path(tmp)))
        try:
            for _ in range(args.runs):
                for mode in MODES:
                    with run.fresh_profile(pw, Path(tmp)) as (ctx, page):
                        ms[mode].append(worker_ready_ms(page, url, mode))
        finally:
            srv.shutdown()
    floor = statistics.median(ms["floor"])
    for mode, values in ms.items():
        med = statistics.median(values)
        print(f"{mode:24s} Python ready at {med:6.0f} ms (median of {len(values)}; "
              f"{min(values):.0f}..{max(values):.0f}), {med / floor:.2f}x the floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
