"""Where the time goes, for the targets benchmarks/run.py reports missed.

    python benchmarks/profile.py                  # 3 runs per experiment
    python benchmarks/profile.py --runs 5 --out benchmarks/results/profile.md

Builds and serves the site like run.py, then, each run in a new browser on a fresh profile:
  load      the cold load's phases from navigation start (performance marks and a wrapped
            Bokeh.embed.embed_item): HTML parsed, BokehJS evaluated (DOMContentLoaded),
            embed_item, first frame, "pysim:drawn", pysim.ready; three ways:
              as built        the page as it is
              wasm held       pyodide.asm.wasm held back until drawn (the worker starts, but
                              cannot compile Python yet)
              worker after    worker.js held back until drawn: what drawn and ready would be if
              drawn           app.js started the worker after the prerendered trace was painted
              worker first    BokehJS held back until the worker has begun to boot (its first
                              message): what they would be if the worker always got going first
  boot      the bench page's worker boot, step by step (loadPyodide, loadPackage, imports),
            cold and on two repeat visits, with fetch responses passed on as fetched ("plain")
            or re-wrapped in a new Response as web/worker.js does to count progress ("wrapped")
  cpu       a sampling CPU profile (CDP Profiler) of the page's main thread: the cold load
            until drawn, 30 steps at T=50, 8 retraces at T=200; time by script file (self, and
            inclusive: with everything it called) and by function (js_profile.py)
It writes a Markdown report (default benchmarks/results/profile.md) and prints it.
Minified BokehJS keeps its method names (paint, compute_layout, ...), which is enough to tell
layout from painting.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import browser as br  # noqa: E402
import pybench  # noqa: E402
from js_profile import start_profile, summarize_profile  # noqa: E402
from cpu import CpuLoad  # noqa: E402

PHASES = """
(() => {
  // marks for the cold load's phases; Bokeh is wrapped the moment the script defines it
  let B;
  const mark = (n) => performance.mark("bench:" + n);
  Object.defineProperty(window, "Bokeh", { configurable: true, enumerable: true,
    get() { return B; },
    set(x) {
      B = x;
      mark("bokeh-defined");
      queueMicrotask(() => {
        if (!B || !B.embed || B.embed.__wrapped) return;
        const embed = B.embed, orig = embed.embed_item;
        embed.embed_item = async (...a) => {
          mark("embed-start");
          try { return await orig.apply(embed, a); }
          finally {
            mark("embed-end");
            requestAnimationFrame(() => { mark("first-frame-start");
              const ch = new MessageChannel(); ch.port1.onmessage = () => mark("first-frame-end"); ch.port2.postMessage(0); });
          }
        };
        embed.__wrapped = true;
      });
    } });
})();
"""

LOAD_TIMES = """() => {
  const m = (n) => { const e = performance.getEntriesByName(n)[0]; return e ? e.startTime : null; };
  const nav = performance.getEntriesByType("navigation")[0];
  return { html_parsed: nav.domInteractive, bokeh_defined: m("bench:bokeh-defined"),
           dcl: nav.domContentLoadedEventEnd, embed_start: m("bench:embed-start"),
           embed_end: m("bench:embed-end"), first_frame_end: m("bench:first-frame-end"),
           drawn: m("pysim:drawn"), ready: window.__bench.readyAt,
           worker_first_message: window.__bench.workerFirstMessageAt,
           worker_ready_ms: window.__bench.workerReady && window.__bench.workerReady.ms };
}"""


def load_experiment(pw, tmp, url, mode, cpu):
    with br.fresh_profile(pw, tmp) as (ctx, page):
        ctx.add_init_script(PHASES)
        held, released = [], []

        def hold(route):  # until released; afterwards requests go through at once
            if released:
                route.continue_()
            else:
                held.append(route)

        def release():
            released.append(True)
            while held:
                held.pop().continue_()
        if mode == "wasm held":
            page.route("**/pyodide.asm.wasm", hold)
        elif mode == "worker after drawn":
            page.route("**/worker.js", hold)
        elif mode == "worker first":
            page.route("**/bokeh/*.js", hold)
        a = cpu.snapshot()
        page.goto(url, wait_until="commit")
        if mode == "worker first":  # BokehJS only once the worker has begun to boot
            page.wait_for_function("() => window.__bench && window.__bench.workerFirstMessageAt",
                                   polling=20)
            release()
        page.wait_for_function("() => window.pysim && window.pysim.drawn", polling=50)
        page.evaluate("window.pysim.drawn")
        release()
        page.evaluate("window.pysim.ready")
        time.sleep(0.05)
        out = page.evaluate(LOAD_TIMES)
        out["others_cpus"] = cpu.others(a, cpu.snapshot())
        return out


def boot_experiment(pw, tmp, url, wrap: bool, visits=3, pause=3.0):
    """The bench page's worker boot (the same steps as web/worker.js), visited `visits` times in
    one fresh profile; with wrap, fetch responses are re-wrapped as web/worker.js does."""
    out = []
    with br.fresh_profile(pw, tmp) as (ctx, page):
        for _ in range(visits):
            page.goto(url + "bench/bench.html" + ("?wrap" if wrap else ""))
            b = page.evaluate("window.bench.ready")
            out.append({"ms": b["ms"], **b["boot"]["phases"],
                        "wasm_instantiate_ms": sum(w["end"] - w["start"] for w in b["boot"]["wasm"]),
                        "wasm_modules": len(b["boot"]["wasm"])})
            time.sleep(pause)  # let the browser write its caches, as a visitor reading would
    return out


# ---- CPU profiles (js_profile.py) ----------------------------------------------------------------
def cpu_experiment(pw, tmp, url, steps=30, retraces=8):
    out = {}
    with br.fresh_profile(pw, tmp) as (ctx, page):
        page.goto(url + "manifest.json")  # same origin first: the profiler stays on this renderer
        cdp = ctx.new_cdp_session(page)
        start_profile(cdp)
        page.goto(url)
        page.wait_for_function("() => window.pysim && window.pysim.drawn", polling=50)
        page.evaluate("window.pysim.drawn")
        drawn = page.evaluate("performance.getEntriesByName('pysim:drawn')[0].startTime")
        out["load_until_drawn"] = summarize_profile(cdp.send("Profiler.stop")["profile"])
        out["load_until_drawn"]["drawn_ms"] = drawn
        page.evaluate("window.pysim.ready")
        page.evaluate("t => window.pysim.setText(t)", pybench.make_text(50))
        time.sleep(0.3)
        start_profile(cdp)
        samples = page.evaluate("n => window.__bench.steps(n)", steps)
        out["step_T50"] = summarize_profile(cdp.send("Profiler.stop")["profile"], per=steps)
        out["step_T50"]["samples"] = {k: round(statistics.median(s[k] for s in samples), 2)
                                      for k in samples[0]}
        page.evaluate("t => window.pysim.setText(t)", pybench.make_text(200))
        time.sleep(0.3)
        start_profile(cdp)
        texts = [pybench.make_text(200, k + 1) for k in range(retraces)]
        samples = page.evaluate("t => window.__bench.retraces(t)", texts)
        out["retrace_T200"] = summarize_profile(cdp.send("Profiler.stop")["profile"], per=retraces)
        out["retrace_T200"]["samples"] = {k: round(statistics.median(s[k] for s in samples), 2)
                                          for k in samples[0]}
    return out


# ---- report -------------------------------------------------------------------------------------
def med(rows, key):
    v = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(v) if v else None


def report(load, cpu_runs, boots, meta) -> str:
    L = [f"# pysim profile ({meta['date']}, {meta['runs']} runs, Chromium {meta['chromium']}, "
         f"{meta['cpus']} CPUs; other processes used {meta['others']} CPUs on average)", ""]
    L += ["## Cold load phases (ms from navigation start, medians)", "",
          "| Mode | HTML parsed | BokehJS defined | DOMContentLoaded | embed_item start → end | "
          "first frame after embed | drawn | worker's first message | ready | worker ready "
          "(worker clock) |", "|---|---|---|---|---|---|---|---|---|---|"]
    for mode, rows in load.items():
        f = lambda k: "—" if med(rows, k) is None else f"{med(rows, k):.0f}"  # noqa: E731
        L.append(f"| {mode} | {f('html_parsed')} | {f('bokeh_defined')} | {f('dcl')} | "
                 f"{f('embed_start')} → {f('embed_end')} | {f('first_frame_end')} | {f('drawn')} | "
                 f"{f('worker_first_message')} | {f('ready')} | {f('worker_ready_ms')} |")
    L += ["", "## Worker boot on the bench page (ms, medians; same files and steps as web/worker.js)",
          "", "plain: responses passed on as fetched; wrapped: re-wrapped in `new Response(stream)`"
          " as web/worker.js does to count progress.", "",
          "| Fetches | Visit | ready | loadPyodide | loadPackage numpy+pysim | import numpy | "
          "import pysim.api + Session() | WebAssembly instantiate (all modules) |",
          "|---|---|---|---|---|---|---|---|"]
    for mode, runs_ in boots.items():
        for v in range(len(runs_[0])):
            rows = [r[v] for r in runs_]
            f = lambda k: f"{med(rows, k):.0f}"  # noqa: E731
            L.append(f"| {mode} | {('cold', 'repeat', 'third')[v] if v < 3 else v + 1} | {f('ms')} | "
                     f"{f('loadPyodide')} | {f('loadPackage numpy+pysim')} | {f('import numpy')} | "
                     f"{f('import pysim.api + Session()')} | {f('wasm_instantiate_ms')} |")
    for name, title in (("load_until_drawn", "Main thread until drawn (cold load, as built)"),
                        ("step_T50", "One step at T=50 (main thread, per step)"),
                        ("retrace_T200", "One retrace at T=200 (main thread, per retrace)")):
        L += ["", f"## {title}", ""]
        busy = statistics.median(c[name]["busy_ms"] for c in cpu_runs)
        L.append(f"Main-thread busy: {busy:.1f} ms (median of {len(cpu_runs)} runs)"
                 + (f"; drawn at {statistics.median(c[name]['drawn_ms'] for c in cpu_runs):.0f} ms"
                    " (with the profiler on)" if name == "load_until_drawn" else ""))
        if "samples" in cpu_runs[0][name]:
            L.append(f"; measured (run 1): {json.dumps(cpu_runs[0][name]['samples'])}")
        c = cpu_runs[0][name]
        L += ["", "| Inclusive by file (ms) | Self by file (ms) |", "|---|---|"]
        for a, b in zip(c["incl_by_file"][:10], c["self_by_file"][:10] + [("", "")] * 10):
            L.append(f"| {a[0]}: {a[1]} | {b[0]}{': ' if b[0] else ''}{b[1]} |")
        L += ["", "| Inclusive by function (ms) | Self by function (ms) |", "|---|---|"]
        for a, b in zip(c["incl_by_function"][:15], c["self_by_function"][:15] + [("", "")] * 15):
            L.append(f"| {a[0]}: {a[1]} | {b[0]}{': ' if b[0] else ''}{b[1]} |")
    return "\n".join(L) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description="Profile pysim's page (see the module docstring).")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default=str(BENCH / "results" / "profile.md"))
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright
    import datetime
    import os
    modes = ["as built", "wasm held", "worker after drawn", "worker first"]
    load = {m: [] for m in modes}
    cpu_runs = []
    boots = {"plain": [], "wrapped": []}
    cpu = CpuLoad()
    c0 = cpu.snapshot()
    with tempfile.TemporaryDirectory(prefix="pysim-profile-") as tmp:
        dist = br.build_site(Path(tmp))
        srv, url = br.start_server(dist)
        try:
            with sync_playwright() as pw:
                for r in range(args.runs):
                    for mode in modes:
                        load[mode].append(load_experiment(pw, Path(tmp), url, mode, cpu))
                        br.log(f"run {r} {mode}: {load[mode][-1]}")
                    for mode in boots:
                        boots[mode].append(boot_experiment(pw, Path(tmp), url, mode == "wrapped"))
                        br.log(f"run {r} boot {mode}: {[round(v['ms']) for v in boots[mode][-1]]}")
                    cpu_runs.append(cpu_experiment(pw, Path(tmp), url))
                    br.log(f"run {r} cpu profiles done")
                browser = pw.chromium.launch(executable_path=br.CHROMIUM, args=br.CHROMIUM_ARGS)
                chromium = browser.version
                browser.close()
        finally:
            srv.shutdown()
    others = cpu.others(c0, cpu.snapshot())
    meta = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "runs": args.runs, "chromium": chromium, "cpus": os.cpu_count(),
            "others": None if others is None else round(others, 2)}
    text = report(load, cpu_runs, boots, meta)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    out.with_suffix(".json").write_text(json.dumps({"meta": meta, "load": load, "boot": boots, "cpu": cpu_runs},
                                                   indent=1))
    print(text)
    br.log(f"wrote {out} and {out.with_suffix('.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
