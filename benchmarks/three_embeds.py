"""Several embeds on one page: one shared Python against one each (issue 13's targets: the last of
three embeds ready <= 1.3 x one embed alone, total memory <= 1.5 x one).

    python benchmarks/three_embeds.py [--runs 3]      # ~1.5 min a run on 2 free cores

Builds and serves the site like run.py. Each run and mode in a new browser (a fresh profile:
nothing cached, no memory snapshot), the modes interleaved (their order turns every run):
  one embed             a parent page with one 700-px `?embed` iframe
  three embeds, shared  three 700-px embeds, three sentences: one SharedWorker (as built)
  three embeds, own     the same with `&worker=dedicated&python=now`: one Python each, started
                        at once (how embeds worked before issue 13)
  page, dedicated       the full page as built (its own Worker)
  page, shared          the full page with `?worker=shared` (the question: should the full page
                        use the shared worker too? these two rows decide)
Per mode: the seconds from navigation until the last embed (or the page) says Python is ready
(`pysim.state().ready`, polled every 50 ms; nothing else of the page is read, as a reader reads
nothing), and the browser's memory then: the proportional set
size (PSS: shared pages split between processes) of every Chromium process of this browser,
summed, in total and above the same browser showing a blank page just before.
run.py runs it as the phase "embeds" (raw["embeds"]); the medians go in its report.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import browser as br  # noqa: E402

SENTENCES = ["arrive Beijing on November 2nd", "leave Shanghai for Chengdu today", "arrive Chengdu"]
MODES = {
    "one embed": ("embeds-1.html", 1),
    "three embeds, shared": ("embeds-3.html", 3),
    "three embeds, own": ("embeds-3-own.html", 3),
    "page, dedicated": ("", 1),
    "page, shared": ("?worker=shared", 1),
}


def write_pages(dist: Path) -> None:
    """The parent pages (blog posts holding the embeds) next to the site."""
    def post(n, extra=""):
        frames = "".join(f'<iframe name="e{k}" src="./?embed&text={s.replace(" ", "+")}{extra}" '
                         f'width="760" height="700" style="border:0;display:block"></iframe>'
                         for k, s in enumerate(SENTENCES[:n]))
        return f'<!doctype html><title>a post</title><link rel="icon" href="favicon.svg">{frames}'
    (dist / "embeds-1.html").write_text(post(1))
    (dist / "embeds-3.html").write_text(post(3))
    (dist / "embeds-3-own.html").write_text(post(3, "&worker=dedicated&python=now"))


def browser_pss() -> int:
    """Bytes: the PSS of every Chromium process started under this Python process."""
    import psutil
    total = 0
    for p in psutil.Process().children(recursive=True):
        try:
            if "chrom" in p.name():
                total += p.memory_full_info().pss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


def measure(pw, tmp: Path, url: str, mode: str) -> dict:
    path, n = MODES[mode]
    # no probe: it reads pysim.ready, which builds every view and tab of each embed; a reader's
    # embeds build the views in sight (runs before 2026-11-30 had the probe: 1.38-1.49x)
    with br.fresh_profile(pw, tmp, probe=False) as (ctx, page):
        ctx.set_default_timeout(br.TIMEOUT_MS)
        page.set_viewport_size({"width": 1000, "height": 2200})  # every embed in view
        page.goto("about:blank")
        time.sleep(1.0)  # the new browser settles
        blank = browser_pss()
        t0 = time.perf_counter()
        page.goto(url + path, wait_until="commit")
        frames = [page] if n == 1 and not path.startswith("embeds") else None
        if frames is None:
            page.wait_for_function(f"document.querySelectorAll('iframe').length === {n}")
            frames = [page.frame(name=f"e{k}") for k in range(n)]
            while None in frames:  # an iframe in the DOM may not be attached as a frame yet
                page.wait_for_timeout(20)
                frames = [page.frame(name=f"e{k}") for k in range(n)]
        for f in frames:
            f.wait_for_function("() => window.pysim && window.pysim.state().ready", polling=50)
        ready_s = time.perf_counter() - t0
        pythons = [f.evaluate("window.pysim.python()") for f in frames]
        time.sleep(0.5)  # the memory snapshot's copy and the first garbage settle
        total = browser_pss()
        return {"mode": mode, "ready_s": ready_s, "pss_mb": total / 2**20,
                "above_blank_mb": (total - blank) / 2**20,
                "workers": len({p.get("worker") for p in pythons}),
                "shared": all(p.get("shared") for p in pythons)}


def run(pw, tmp: Path, url: str, runs: int, dist: Path, phase=lambda name, f: f()) -> list:
    write_pages(dist)
    out = []
    modes = list(MODES)
    for r in range(runs):
        order = modes[r % len(modes):] + modes[:r % len(modes)]
        for mode in order:
            res = phase(f"embeds run {r}: {mode}", lambda: measure(pw, tmp, url, mode))
            if res is not None:
                res["run"] = r
                out.append(res)
                br.log(f"run {r}: {mode}: ready {res['ready_s']:.2f} s, {res['pss_mb']:.0f} MB "
                       f"({res['above_blank_mb']:.0f} above blank), {res['workers']} worker(s)")
    return out


def table(results: list) -> str:
    """Markdown: per mode, median ready time and memory, and the ratios to one embed."""
    by = {m: [r for r in results if r["mode"] == m] for m in MODES}
    med = {m: {k: statistics.median(r[k] for r in rs) for k in ("ready_s", "pss_mb", "above_blank_mb")}
           for m, rs in by.items() if rs}
    one = med.get("one embed")
    lines = ["| Mode | Runs | Last ready (s) | × one embed | Browser PSS (MB) | × one | Above blank (MB) | × one |",
             "|---|---|---|---|---|---|---|---|"]
    for m, v in med.items():
        ratio = (lambda k: f"{v[k] / one[k]:.2f}") if one else (lambda k: "—")
        lines.append(f"| {m} | {len(by[m])} | {v['ready_s']:.2f} | {ratio('ready_s')} | {v['pss_mb']:.0f} | "
                     f"{ratio('pss_mb')} | {v['above_blank_mb']:.0f} | {ratio('above_blank_mb')} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", help="also write the raw results here")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory(prefix="pysim-embeds-") as tmp:
        dist = br.build_site(Path(tmp))
        srv, url = br.start_server(dist)
        try:
            with sync_playwright() as pw:
                results = run(pw, Path(tmp), url, args.runs, dist)
        finally:
            srv.shutdown()
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
