"""Lighthouse's accessibility, best-practices and SEO scores of the page, mobile and desktop.

    python benchmarks/lighthouse.py          # build into a temp dir, serve, score; ~1-2 min
    python benchmarks/lighthouse.py --url U  # score a page already served

Lighthouse 12.2.3 (npm, pinned in node_tools.py, installed into .cache/node) drives Debian's
Chromium (CHROME_PATH=/usr/bin/chromium, headless) once per form factor: "mobile" is
Lighthouse's default (a phone's screen, touch, a throttled CPU and network), "desktop" its
`--preset=desktop`. Only the three categories are run here (performance: lighthouse_perf.py).
`make bench` runs it as one of its phases (run.py); the target is 100 in each.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

import node_tools  # noqa: E402

CATEGORIES = ("accessibility", "best-practices", "seo")
FORMS = ("mobile", "desktop")
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")


def report(url: str, form: str, categories=CATEGORIES, chrome_flags=(), timeout: float = 300) -> dict:
    """Lighthouse's report (its JSON) of one run on `url`: `form` "mobile" or "desktop";
    `chrome_flags` more Chromium switches (lighthouse_perf.py: a slow connection)."""
    flags = " ".join(("--headless=new", "--no-sandbox", "--disable-gpu", *chrome_flags))
    cmd = ["node", str(node_tools.lighthouse_cli()), url, "--quiet", "--output=json",
           "--output-path=stdout", f"--only-categories={','.join(categories)}",
           f"--chrome-flags={flags}"]
    if form == "desktop":
        cmd.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": CHROME}
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout, check=True)
    return json.loads(out.stdout)


def score(url: str, form: str, timeout: float = 300) -> dict:
    """{category: score 0..100, "failed": [audit ids below 1 in those categories]} for one run."""
    lhr = report(url, form, timeout=timeout)
    res = {c: round(100 * lhr["categories"][c]["score"]) for c in CATEGORIES}
    res["failed"] = sorted({ref["id"] for c in CATEGORIES for ref in lhr["categories"][c]["auditRefs"]
                            if ref.get("weight") and (lhr["audits"][ref["id"]].get("score") is not None)
                            and lhr["audits"][ref["id"]]["score"] < 1})
    res["lighthouse"] = lhr["lighthouseVersion"]
    return res


def run(url: str, log=print) -> dict:
    """Both form factors: {"mobile": {...}, "desktop": {...}}."""
    scores = {}
    for form in FORMS:
        scores[form] = score(url, form)
        s = scores[form]
        log(f"lighthouse {form}: " + ", ".join(f"{c} {s[c]}" for c in CATEGORIES)
            + (f" (failing: {', '.join(s['failed'])})" if s["failed"] else ""))
    return scores


def markdown(scores: dict) -> str:
    rows = ["| Lighthouse 12 | " + " | ".join(CATEGORIES) + " |", "|---|" + "---:|" * len(CATEGORIES)]
    for form, s in scores.items():
        rows.append(f"| {form} | " + " | ".join(str(s[c]) for c in CATEGORIES) + " |")
    return "\n".join(rows) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", help="a page already served (default: build and serve dist/ in a temp dir)")
    ap.add_argument("--out", help="write the scores as JSON here")
    args = ap.parse_args(argv)
    if args.url:
        scores = run(args.url)
    else:
        import threading

        import build
        with tempfile.TemporaryDirectory(prefix="pysim-lh-") as tmp:
            build.main(out=Path(tmp) / "dist")
            srv = build.serve(Path(tmp) / "dist", port=0)
            threading.Thread(target=srv.serve_forever, daemon=True).start()
            try:
                scores = run(f"http://127.0.0.1:{srv.server_address[1]}/")
            finally:
                srv.shutdown()
    print(markdown(scores))
    if args.out:
        Path(args.out).write_text(json.dumps(scores, indent=1))
    return 0 if all(s[c] == 100 for s in scores.values() for c in CATEGORIES) else 1


if __name__ == "__main__":
    sys.exit(main())
