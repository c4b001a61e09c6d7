"""What the dark theme costs: the bytes its patches add to index.html, and the time to the views
being drawn ('pysim:drawn') light vs dark, interleaved A/B cold loads in Debian Chromium.

    python benchmarks/theme_cost.py [--runs 6] [--dist dist]

Reads a built dist/ (python build.py). Time is noise on a loaded machine: compare medians of the
interleaved runs, not single loads.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import build  # noqa: E402

# the patch's own cost: parse the documents and apply "theme:dark", 20 times, in the page
APPLY = """async () => {
  const { applyVariants } = await import("./variants.js");
  const boot = JSON.parse(document.getElementById("pysim-boot").textContent);
  const text = document.getElementById("pysim-doc").textContent;
  const ms = { parse: [], apply: [] };
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const items = JSON.parse(text);
    const t1 = performance.now();
    applyVariants(items, boot.variants, ["theme:dark"]);
    ms.parse.push(t1 - t0); ms.apply.push(performance.now() - t1);
  }
  const median = (a) => a.sort((x, y) => x - y)[a.length >> 1];
  return { parse: median(ms.parse), apply: median(ms.apply) };
}"""

MARKS = """() => Object.fromEntries(["pysim:preview", "pysim:drawn"].map((n) =>
  [n, performance.getEntriesByName(n)[0]?.startTime]))"""


def sizes(dist: Path) -> dict:
    html = (dist / "index.html").read_text()
    boot = json.loads(re.search(r'id="pysim-boot">(.*?)</script>', html, re.S).group(1))
    variants = json.dumps(boot.get("variants", {}), separators=(",", ":")).encode()
    return {"index.html": len(html.encode()), "index.html.gz": len(gzip.compress(html.encode(), 9)),
            "variants": len(variants), "variants.gz": len(gzip.compress(variants, 9))}


def times(dist: Path, runs: int) -> dict:
    from playwright.sync_api import sync_playwright
    srv = build.serve(dist, port=0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{srv.server_address[1]}/"
    got = {"light": [], "dark": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu"])
        for _ in range(runs):
            for theme in ("light", "dark"):  # interleaved
                context = browser.new_context(viewport={"width": 1366, "height": 900})
                page = context.new_page()
                page.goto(f"{url}?theme={theme}")
                page.evaluate("window.pysim.drawn")
                got[theme].append(page.evaluate(MARKS))
                if theme == "dark":
                    got.setdefault("apply", []).append(page.evaluate(APPLY))
                context.close()
        browser.close()
    srv.shutdown()
    applied = got.pop("apply")
    out = {theme: {mark: round(statistics.median(r[mark] for r in rs))
                   for mark in ("pysim:preview", "pysim:drawn")} | {"runs": len(rs)}
           for theme, rs in got.items()}
    out["documents' JSON.parse"] = round(statistics.median(a["parse"] for a in applied), 2)
    out["applyVariants theme:dark"] = round(statistics.median(a["apply"] for a in applied), 2)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=6)
    ap.add_argument("--dist", default=str(ROOT / "dist"))
    args = ap.parse_args(argv)
    dist = Path(args.dist)
    print(json.dumps({"bytes": sizes(dist), "median ms": times(dist, args.runs)}, indent=1))


if __name__ == "__main__":
    main()
