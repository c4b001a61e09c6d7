"""An interleaved A/B of cold loads, as a reader has them: two or more cases, the same numbers.

    python benchmarks/ab.py "?embed" "?embed&python=now" [--runs 6] [--width 1350]
    python benchmarks/ab.py "/tmp/old|?embed" "/tmp/new|?embed"     # two builds

A case is a query on the site built from this tree (as run.py builds it), or `DIR|query` on a
site already built in DIR (`python build.py build --out DIR` in a checkout of another commit).
Each run of each case is a new browser on a fresh profile, the cases in alternating order (ABBA),
with nothing of the page read but `pysim.state()`: unlike run.py's probe, which reads
pysim.ready and so builds every view, this loads the page as a reader does. Per case, medians of:
  answers   ms to the example answering stepping and hover (the mark pysim:answers)
  ready     ms to Python ready (pysim.state().ready)
  longest   the longest main-thread task after the first contentful paint, until ready (ms)
  blocking  Σ of those tasks' time over 50 ms (Lighthouse's TBT, over that window)
  tasks     how many such tasks (over 50 ms)
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import browser as br  # noqa: E402

WATCH = """window.__ab = { lt: [], readyAt: null };
new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__ab.lt.push([e.startTime, e.duration]); })
  .observe({ type: "longtask", buffered: true });
(function poll() {
  const p = window.pysim;
  if (p && p.state && p.state().ready) window.__ab.readyAt = performance.now(); else setTimeout(poll, 10);
})();"""
KEYS = ("answers", "ready", "longest", "blocking", "tasks")


def measure(page, url: str) -> dict:
    page.add_init_script(WATCH)
    errors: list = []
    br.watch(page, errors)
    page.goto(url)
    page.wait_for_function("window.__ab.readyAt !== null", polling=20, timeout=br.TIMEOUT_MS)
    time.sleep(0.5)  # long tasks are reported after they end
    x = page.evaluate("""({ lt: window.__ab.lt, ready: window.__ab.readyAt,
      fcp: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime,
      answers: (performance.getEntriesByName('pysim:answers')[0] || {}).startTime ?? null })""")
    if errors:
        raise RuntimeError(f"{url}: {errors}")
    tasks = [d for start, d in x["lt"] if x["fcp"] <= start <= x["ready"]]
    return {"answers": x["answers"], "ready": x["ready"], "longest": max(tasks, default=0.0),
            "blocking": sum(max(0.0, d - 50) for d in tasks), "tasks": len(tasks)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cases", nargs="+", help='"?query" or "DIR|?query"')
    ap.add_argument("--runs", type=int, default=6)
    ap.add_argument("--width", type=int, default=1350)
    ap.add_argument("--height", type=int, default=900)
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright
    rows = {case: [] for case in args.cases}
    servers = []
    with tempfile.TemporaryDirectory(prefix="pysim-ab-") as tmp, sync_playwright() as pw:
        urls = {}
        for case in args.cases:
            where, _, query = case.rpartition("|")
            if where not in urls:
                srv, urls[where] = br.start_server(Path(where) if where else br.build_site(Path(tmp)))
                servers.append(srv)
        try:
            for run in range(args.runs):
                for case in (args.cases if run % 2 == 0 else args.cases[::-1]):
                    where, _, query = case.rpartition("|")
                    viewport = {"width": args.width, "height": args.height}
                    with br.fresh_profile(pw, Path(tmp), probe=False, viewport=viewport) as (_, page):
                        rows[case].append(measure(page, urls[where] + query.lstrip("/")))
                    br.log(f"{case}: " + ", ".join(f"{k} {rows[case][-1][k]:.0f}" for k in KEYS
                                                   if rows[case][-1][k] is not None))
        finally:
            for srv in servers:
                srv.shutdown()
    print(f"{args.runs} runs per case, {args.width}x{args.height}, cold, fresh profiles; medians (ms)")
    print("| case | " + " | ".join(KEYS) + " | blocking, each run |")
    print("|---|" + "---:|" * len(KEYS) + "---|")
    for case, runs in rows.items():
        med = [statistics.median(r[k] for r in runs if r[k] is not None) if any(r[k] is not None for r in runs)
               else None for k in KEYS]
        each = ", ".join(f"{r['blocking']:.0f}" for r in runs)
        print(f"| `{case}` | " + " | ".join("—" if v is None else f"{v:.0f}" for v in med) + f" | {each} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
