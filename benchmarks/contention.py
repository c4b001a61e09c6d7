"""How much the page's main-thread work slows Python's boot, and what the CPU allows.

    python benchmarks/contention.py [--runs 4]

Builds and serves the site like run.py; each run and mode in a new browser on a fresh profile,
the modes interleaved:
  page                    the page as built
  page, BokehJS after     BokehJS's scripts held back until the worker says ready (the views
    Python                are built after Python's boot instead of during it)
  page, BokehJS blocked   BokehJS's scripts refused: Python's boot with no views at all
  floor                   floor.html: Pyodide + numpy only, from the same files

Per mode: when the worker said ready, when the views were drawn and when pysim.ready resolved
(ms from navigation start, in the page), and the CPU time the browser and the static server
used from navigation until then (cpu.CpuLoad: this process tree, all threads and processes).
A page that needs C CPU-seconds cannot be ready sooner than C / CPUs seconds, however its work
is ordered; the report compares that bound with 1.10 x the floor.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import browser as br  # noqa: E402
from cpu import CpuLoad  # noqa: E402

MODES = ("page", "page, BokehJS after Python", "page, BokehJS blocked", "floor")
BOKEHJS = "**/bokeh/bokeh-*.js"
VIEWS = ("page", "page, BokehJS after Python")  # the modes that end at pysim.ready, not Python's


def measure(page, url: str, mode: str, cpu: CpuLoad) -> dict:
    held = []
    if mode == "page, BokehJS blocked":
        page.route(BOKEHJS, lambda route: route.abort())
    elif mode == "page, BokehJS after Python":
        page.route(BOKEHJS, lambda route: held.append(route))  # answered once Python is ready
    time.sleep(0.5)  # the new browser settles before the clock starts
    before = cpu.snapshot()
    page.goto(url + ("floor.html" if mode == "floor" else ""), wait_until="commit")
    if mode == "page, BokehJS after Python":
        page.wait_for_function("() => window.__bench && window.__bench.workerReady", polling=20)
        page.wait_for_timeout(50)  # the page asks for BokehJS right after its first paint
        for route in held:
            route.continue_()
    done = "readyAt !== null" if mode in VIEWS else "workerReady"
    page.wait_for_function(f"() => window.__bench && window.__bench.{done}", polling=20)
    after = cpu.snapshot()
    b = page.evaluate("window.__bench")
    drawn = page.evaluate("(performance.getEntriesByName('pysim:drawn')[0] || {}).startTime"
                          " ?? null")
    return {"worker_ready": b["workerReady"]["at"], "drawn": drawn, "ready": b.get("readyAt"),
            "cpu_s": cpu.ours(before, after), "others": cpu.others(before, after)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=4)
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright
    cpu = CpuLoad()
    rows = {mode: [] for mode in MODES}
    with tempfile.TemporaryDirectory(prefix="pysim-bench-") as tmp, sync_playwright() as pw:
        srv, url = br.start_server(br.build_site(Path(tmp)))
        try:
            for _ in range(args.runs):
                for mode in MODES:
                    with br.fresh_profile(pw, Path(tmp)) as (ctx, page):
                        rows[mode].append(measure(page, url, mode, cpu))
                        row = rows[mode][-1]
                        br.log(f"{mode}: " + ", ".join(f"{k} {v:.2f}" for k, v in row.items()
                                                       if v is not None))
        finally:
            srv.shutdown()
    med = lambda mode, key: (statistics.median(r[key] for r in rows[mode])  # noqa: E731
                             if all(r[key] is not None for r in rows[mode]) else None)
    floor = med("floor", "worker_ready")
    cpus = os.cpu_count() or 1
    print(f"{args.runs} runs per mode, {cpus} CPUs; ms from navigation start, medians; "
          f"CPU = CPU-seconds the browser and the server used until the mode's end")
    print(f"{'mode':28s} {'Python ready':>13s} {'views drawn':>12s} {'pysim.ready':>12s} "
          f"{'ready/floor':>12s} {'CPU':>7s} {'others':>7s}")
    for mode in MODES:
        end = med(mode, "ready") or med(mode, "worker_ready")
        f = lambda v: "—" if v is None else f"{v:.0f}"  # noqa: E731
        print(f"{mode:28s} {f(med(mode, 'worker_ready')):>13s} {f(med(mode, 'drawn')):>12s} "
              f"{f(med(mode, 'ready')):>12s} {end / floor:>11.2f}x {med(mode, 'cpu_s'):>6.2f}s "
              f"{med(mode, 'others'):>6.2f}")
    page_cpu, floor_cpu = med("page", "cpu_s"), med("floor", "cpu_s")
    print(f"\nThe floor keeps {floor_cpu / (floor / 1000):.2f} of {cpus} CPUs busy while it boots."
          " "
          f"The page needs {page_cpu:.2f} CPU-s until pysim.ready: on {cpus} CPUs it cannot be "
          f"ready before {page_cpu / cpus * 1000:.0f} ms "
          f"({page_cpu / cpus * 1000 / floor:.2f}x the floor), however its work is ordered; "
          f"1.10x the floor is {1.1 * floor:.0f} ms, "
          f"{1.1 * floor / 1000 * cpus:.2f} CPU-s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
