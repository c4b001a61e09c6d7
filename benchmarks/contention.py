"""How much the page's main-thread work slows Python's boot, and what the CPU allows.

    python benchmarks/contention.py [--runs 4]

Builds and serves the site like run.py; each run and mode in a new browser on a fresh profile,
the modes interleaved:
  page                    the page as built: Python downloads at once and boots once the views
                          in sight are built (web/bridge.js go())
  page, Python at once    `?python=now`: Python boots at once, beside BokehJS building the views
  page, BokehJS blocked   BokehJS's scripts refused: Python's boot with no views at all
  floor                   floor.html: Pyodide + numpy only, from the same files

Per mode: when the worker said ready, when the views were drawn and when pysim.ready resolved
(ms from navigation start, in the page), the main thread's blocking time from the first paint
until then (the sum of each long task's time over 50 ms) and its longest task, and the CPU time
the browser and the static server used from navigation until then (cpu.CpuLoad: this process
tree, all threads and processes). (The probe reads pysim.ready: every view is built.)
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

MODES = ("page", "page, Python at once", "page, BokehJS blocked", "floor")
QUERY = {"page": "", "page, Python at once": "?python=now", "page, BokehJS blocked": "",
         "floor": "floor.html"}
BOKEHJS = "**/bokeh/bokeh-*.js"
VIEWS = ("page", "page, Python at once")  # the modes that end at pysim.ready, not Python's
MARKS = """() => ({ fcp: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime
  ?? null, drawn: (performance.getEntriesByName('pysim:drawn')[0] || {}).startTime ?? null })"""


def measure(page, url: str, mode: str, cpu: CpuLoad) -> dict:
    if mode == "page, BokehJS blocked":
        page.route(BOKEHJS, lambda route: route.abort())
    time.sleep(0.5)  # the new browser settles before the clock starts
    before = cpu.snapshot()
    page.goto(url + QUERY[mode], wait_until="commit")
    done = "readyAt !== null" if mode in VIEWS else "workerReady"
    page.wait_for_function(f"() => window.__bench && window.__bench.{done}", polling=20)
    after = cpu.snapshot()
    time.sleep(0.3)  # long tasks are reported after they end
    b = page.evaluate("window.__bench")
    marks = page.evaluate(MARKS)
    end = b["readyAt"] if mode in VIEWS else b["workerReady"]["at"]
    tasks = [d for start, d in b["longTasks"] if (marks["fcp"] or 0) <= start <= end]
    return {"worker_ready": b["workerReady"]["at"], "drawn": marks["drawn"], "ready": b.get("readyAt"),
            "blocking": sum(max(0.0, d - 50) for d in tasks), "longest": max(tasks, default=0.0),
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
          f"{'ready/floor':>12s} {'blocking':>9s} {'longest':>8s} {'CPU':>7s} {'others':>7s}")
    for mode in MODES:
        end = med(mode, "ready") or med(mode, "worker_ready")
        f = lambda v: "—" if v is None else f"{v:.0f}"  # noqa: E731
        print(f"{mode:28s} {f(med(mode, 'worker_ready')):>13s} {f(med(mode, 'drawn')):>12s} "
              f"{f(med(mode, 'ready')):>12s} {end / floor:>11.2f}x {f(med(mode, 'blocking')):>9s} "
              f"{f(med(mode, 'longest')):>8s} {med(mode, 'cpu_s'):>6.2f}s {med(mode, 'others'):>6.2f}")
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
