"""What choosing the language before the first paint costs (web/lang.js, a blocking classic script
in <head>), and whether a Chinese reader sees anything move.

    python benchmarks/lang_paint.py [--runs 5] [--latency 150]   # ~1 min for 5 runs

Builds the site into a temp dir and serves it twice: as built, and a copy whose index.html does
not run lang.js (so English, as before the Chinese page). Interleaved, on a fresh context each
(375 px wide, `--latency` ms added to every request through the DevTools protocol), it opens
A: the copy without lang.js, B: ?lang=en, C: ?lang=zh, and reports per case the median first
contentful paint and the largest cumulative layout shift up to the prerendered trace's paint
("pysim:preview"). On a loaded machine only A/B/C differences larger than the spread mean anything.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import build  # noqa: E402

CLS = """window.__cls = 0; new PerformanceObserver((l) => {
  for (const e of l.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; })
  .observe({type: 'layout-shift', buffered: true});"""


def serve(path: Path) -> str:
    srv = build.serve(path, port=0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{srv.server_address[1]}/"


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--latency", type=float, default=150)
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as tmp:
        site, bare = Path(tmp) / "dist", Path(tmp) / "nolang"
        build.main(out=site)
        shutil.copytree(site, bare)
        index = bare / "index.html"
        index.write_text(index.read_text().replace('<script src="lang.js"></script>', ""))
        a, b = serve(bare), serve(site)
        cases = {"A without lang.js": a, "B ?lang=en": b + "?lang=en", "C ?lang=zh": b + "?lang=zh"}
        got = {k: [] for k in cases}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium")
            for _ in range(args.runs):
                for name, url in cases.items():
                    ctx = browser.new_context(viewport={"width": 375, "height": 812})
                    page = ctx.new_page()
                    cdp = ctx.new_cdp_session(page)
                    cdp.send("Network.enable")
                    cdp.send("Network.emulateNetworkConditions", {
                        "offline": False, "latency": args.latency,
                        "downloadThroughput": 15e6 / 8, "uploadThroughput": 1e6 / 8})
                    page.add_init_script(CLS)
                    page.goto(url, wait_until="commit")
                    page.wait_for_function(
                        "performance.getEntriesByName('pysim:preview').length > 0", timeout=120000)
                    fcp = page.evaluate(
                        "performance.getEntriesByName('first-contentful-paint')[0].startTime")
                    got[name].append((fcp, page.evaluate("window.__cls")))
                    ctx.close()
            browser.close()
    for name, runs in got.items():
        f = [x[0] for x in runs]
        print(f"{name:18s} first contentful paint median {statistics.median(f):5.0f} ms "
              f"(min {min(f):.0f}, max {max(f):.0f}); layout shift until the preview, max "
              f"{max(x[1] for x in runs):.4f}")
    return got


if __name__ == "__main__":
    main()
