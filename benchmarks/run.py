"""pysim's benchmarks in one command (`make bench`): build the site, serve it, measure it in
headless Chromium, write <out>.json, <out>.md and <out>.html. benchmarks/README.md says what is
measured and how; exit status 2 when a measurement failed (the rest is still written).

    python benchmarks/run.py                 # full run (5 runs of each browser measurement)
    python benchmarks/run.py --quick         # fewer runs and samples: a smoke run

The driver: the page and the floor (measure_page) `runs` times, interleaved, each in a new
browser; then embeds on one page (three_embeds.py: one, three sharing Python, three with their own);
then Python natively and in Pyodide (measure_python); then PyTorch; each phase timed
with other processes' CPU use beside it (cpu.CpuLoad); then the metrics (summary), the tables
(report) and the plot (plot). Lighthouse's accessibility, best-practices and SEO scores, mobile
and desktop (lighthouse), and its performance of the page and an embed (lighthouse_perf), are
added to the JSON and the tables.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import browser as br
import build
import lighthouse
import lighthouse_perf
import three_embeds
from cpu import CpuLoad
from measure_page import Sizes, floor_run, page_run
from measure_python import PY_HS, PY_TS, TORCH_PYTHON, python_timings, torch_yardstick
from plot import write_html
from report import markdown
from summary import summarize

PROFILES = {
    # runs: page loads (cold + repeat + interactions) and floor loads; steps/retraces: samples
    # per run and T; blocks x min_s: timed blocks of the Python timings
    # embed_runs: runs of embeds.py (one embed against three on one page, 5 modes each);
    # lighthouse_runs: runs of each lighthouse_perf.py case
    "full": dict(runs=5, steps=30, retraces=8, blocks=5, min_s=0.25, train_steps=30, embed_runs=3,
                 lighthouse_runs=3),
    "quick": dict(runs=2, steps=12, retraces=4, blocks=3, min_s=0.1, train_steps=15, embed_runs=1,
                  lighthouse_runs=1),
}


def git_describe() -> dict:
    def git(*a):
        r = subprocess.run(["git", *a], cwd=br.ROOT, capture_output=True, text=True)
        return r.stdout.strip() if r.returncode == 0 else None
    return {"commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain"))}


def measure(raw: dict, cfg: dict, torch_python: str, phase) -> str:
    """Every measurement into raw, each through `phase` (timed, a failure recorded); Chromium's
    version."""
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory(prefix="pysim-bench-") as tmp:
        br.log("building the site into a temp dir")
        dist = br.build_site(Path(tmp))
        srv, url = br.start_server(dist)
        sizes = Sizes(dist)
        br.log(f"serving {dist} at {url}")
        try:
            with sync_playwright() as pw:
                for r in range(cfg["runs"]):
                    # interleaved: the page and the floor take turns going first
                    for what in (("page", "floor") if r % 2 == 0 else ("floor", "page")):
                        if what == "page":
                            res = phase(f"page run {r}",
                                        lambda: page_run(pw, Path(tmp), url, sizes, cfg, r))
                            if res is not None:
                                res["run"] = r
                                raw["page_runs"].append(res)
                                raw["errors"] += [f"page run {r}: {e}" for e in res["errors"]]
                        else:
                            ms = phase(f"floor run {r}", lambda: floor_run(pw, Path(tmp), url))
                            if ms is not None:
                                raw["floor_runs"].append({"run": r, "ms": ms})
                                br.log(f"run {r}: floor ready {ms:.0f} ms")
                br.log("embeds: one, three sharing a Python, three with one each (three_embeds.py)")
                raw["embeds"] = three_embeds.run(pw, Path(tmp), url, cfg["embed_runs"], dist, phase)
                br.log("Python: in Pyodide (bench page) and natively, alternating")
                browser = pw.chromium.launch(executable_path=br.CHROMIUM, args=br.CHROMIUM_ARGS)
                chromium = browser.version
                cases = [{"H": h, "T": t} for h in PY_HS for t in PY_TS]
                raw["python"] = phase("python timings",
                                      lambda: python_timings(browser, url, cfg, cases)) or {}
                browser.close()
            # accessibility, best practices, SEO: mobile and desktop (benchmarks/lighthouse.py)
            raw["lighthouse"] = phase("lighthouse", lambda: lighthouse.run(url, br.log)) or {}
            raw["errors"] += [f"lighthouse {form}: {c} {s[c]} < 100 ({', '.join(s['failed'])})"
                              for form, s in raw["lighthouse"].items()
                              for c in lighthouse.CATEGORIES if s[c] < 100]
            # performance: the page and an embed, mobile and desktop; a Save-Data phone's bytes
            raw["lighthouse_perf"] = lighthouse_perf.run(url, cfg["lighthouse_runs"], br.log, phase)
        finally:
            srv.shutdown()
    wasm, nat = raw["python"].get("wasm"), raw["python"].get("native")
    if wasm:
        raw["errors"] += [f"pyodide timings: {e}" for e in wasm.get("errors", [])]
    shapes = [{k: c[k] for k in ("H", "D", "V", "K", "T")} for c in (nat or {"traces": []})["traces"]]
    br.log(f"PyTorch yardstick ({torch_python})")
    raw["torch"] = phase("torch", lambda: torch_yardstick(cfg, shapes, torch_python))
    if raw["torch"] and "skipped" in raw["torch"]:
        br.log(raw["torch"]["skipped"])
    return chromium


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="pysim's benchmarks (benchmarks/README.md).")
    ap.add_argument("--runs", type=int, help="runs of each browser measurement (default 5; "
                    "--quick: 2)")
    ap.add_argument("--quick", action="store_true", help="fewer runs and samples (~1-2 min)")
    ap.add_argument("--out", default=str(br.BENCH / "results" / "latest.json"),
                    help="the JSON file; .md and .html are written next to it")
    ap.add_argument("--wait-quiet", type=float, default=0, metavar="SECONDS",
                    help="before each measurement, wait up to SECONDS for other processes to "
                    "use < 0.3 CPUs (a shared machine); default 0: do not wait")
    ap.add_argument("--torch-python", default=TORCH_PYTHON,
                    help="a Python with torch for the PyTorch yardstick (default "
                    "$PYSIM_TORCH_PYTHON, else .venv311 in the repo; skipped if missing)")
    args = ap.parse_args(argv)
    cfg = dict(PROFILES["quick" if args.quick else "full"])
    if args.runs:
        cfg["runs"] = args.runs
    out = Path(args.out)
    t_start = time.perf_counter()
    cpu = CpuLoad()
    cpu_start = cpu.snapshot()
    raw = {"page_runs": [], "floor_runs": [], "errors": [], "python": {}}
    phase_s, others = {}, {}

    def phase(name, fn):
        if args.wait_quiet:
            waited = cpu.wait_quiet(args.wait_quiet)
            if waited > 2.5:
                br.log(f"waited {waited:.0f} s for other processes to calm down")
        t0 = time.perf_counter()
        snap = cpu.snapshot()
        try:
            return fn()
        except Exception as e:  # noqa: BLE001 - record, report and go on with the rest
            raw["errors"].append(f"{name}: {type(e).__name__}: {e}")
            br.log(f"{name} FAILED: {e}")
            return None
        finally:
            phase_s[name] = round(time.perf_counter() - t0, 1)
            load = cpu.others(snap, cpu.snapshot())
            others[name] = None if load is None else round(load, 2)

    chromium = measure(raw, cfg, args.torch_python, phase)
    busy_elsewhere = cpu.others(cpu_start, cpu.snapshot())
    metrics, forward = summarize(raw)
    meta = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "git": git_describe(), "profile": "quick" if args.quick else "full", "config": cfg,
            "chromium": chromium, "chromium_args": br.CHROMIUM_ARGS,
            "cpus": os.cpu_count(), "machine": platform.platform(),
            "python": platform.python_version(), "pyodide": build.PYODIDE_VERSION,
            "seconds": round(time.perf_counter() - t_start, 1), "phase_seconds": phase_s,
            "other_processes_cpus": None if busy_elsewhere is None else round(busy_elsewhere, 2),
            "other_processes_cpus_by_phase": others, "loadavg_end": list(os.getloadavg())}
    table = markdown(metrics, forward, raw, meta)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"meta": meta, "metrics": metrics, "forward": forward,
                               "errors": raw["errors"], "raw": raw}, indent=1))
    out.with_suffix(".md").write_text(table)
    write_html(metrics, meta, out.with_suffix(".html"))
    print(table)
    if busy_elsewhere is not None:
        br.log(f"other processes kept {busy_elsewhere:.2f} of {os.cpu_count()} CPUs busy during "
               "the run" + (": the numbers are slowed by them; rerun on a quiet machine"
                            if busy_elsewhere > 0.25 else " (quiet enough)"))
    br.log(f"wrote {out}, {out.with_suffix('.md')}, {out.with_suffix('.html')} "
           f"in {meta['seconds']:.0f} s")
    if raw["errors"]:
        br.log(f"{len(raw['errors'])} error(s):")
        for e in raw["errors"]:
            br.log(f"  {e}")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
