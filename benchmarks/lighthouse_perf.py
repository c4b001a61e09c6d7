"""Lighthouse's performance of the page and of an embed, mobile and desktop, and what a phone on a
Save-Data connection transfers before the reader asks for Python (issue 13's targets).

    python benchmarks/lighthouse_perf.py [--runs 3]   # build, serve, measure; ~1 min a run

Lighthouse 12.2.3 (lighthouse.py's `report`: npm, Debian's Chromium, headless) with its own
throttling: "mobile" a mid-range phone (4x CPU slowdown, slow 4G, simulated), "desktop"
`--preset=desktop`. The cases, each a fresh Lighthouse run, interleaved:
  page, mobile / page, desktop       the page as built (/)
  embed, mobile / embed, desktop     `?embed` (an embed's page: Python starts when it is seen)
  save-data phone                    `?python=ask`, mobile: the mode web/start.js picks for
                                     Save-Data or a 2g/3g connection (the article's example
                                     read and stepped without Python; tests/web/test_lazy.py
                                     checks that Save-Data picks it). Lighthouse cannot set
                                     navigator.connection (Chromium's
                                     --force-effective-connection-type did not reach it), so
                                     the link's flag stands in; Lighthouse's total-byte-weight
                                     is what the visit transfers before the reader asks
Per case, medians over the runs: the performance score, total blocking time, cumulative layout
shift, largest contentful paint, time to interactive, bytes. With Chromium 156 Lighthouse's
element audits for LCP and layout shifts error; the metrics themselves still come. run.py runs
it as the phase "lighthouse performance" (raw["lighthouse_perf"]).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import lighthouse  # noqa: E402

# case -> (query, form, more Chromium switches)
CASES = {"page, mobile": ("", "mobile", ()), "page, desktop": ("", "desktop", ()),
         "embed, mobile": ("?embed", "mobile", ()), "embed, desktop": ("?embed", "desktop", ()),
         "save-data phone": ("?python=ask", "mobile", ())}
# metric -> Lighthouse audit (numericValue), and how it is shown
AUDITS = {"tbt_ms": "total-blocking-time", "cls": "cumulative-layout-shift",
          "lcp_s": "largest-contentful-paint", "tti_s": "interactive", "mb": "total-byte-weight"}
SCALE = {"tbt_ms": 1, "cls": 1, "lcp_s": 1e-3, "tti_s": 1e-3, "mb": 1e-6}
# issue 13: (case prefix or case, metric) -> (limit, "min" | "max")
TARGETS = {("page, desktop", "score"): (95, "min"), ("embed, desktop", "score"): (95, "min"),
           ("page, mobile", "score"): (80, "min"), ("embed, mobile", "score"): (80, "min"),
           ("page, desktop", "tbt_ms"): (150, "max"), ("embed, desktop", "tbt_ms"): (150, "max"),
           ("page, mobile", "tbt_ms"): (600, "max"), ("embed, mobile", "tbt_ms"): (600, "max"),
           **{(c, "cls"): (0.02, "max") for c in ("page, mobile", "page, desktop",
                                                   "embed, mobile", "embed, desktop")},
           ("save-data phone", "mb"): (2.0, "max")}


def measure(url: str, case: str) -> dict:
    """One Lighthouse run of `case` on the site at `url`: score and metrics (None: it errored)."""
    query, form, flags = CASES[case]
    lhr = lighthouse.report(url + query, form, categories=("performance",), chrome_flags=flags)
    out = {"score": round(100 * lhr["categories"]["performance"]["score"])
           if lhr["categories"]["performance"]["score"] is not None else None}
    for key, audit in AUDITS.items():
        v = lhr["audits"].get(audit, {}).get("numericValue")
        out[key] = None if v is None else v * SCALE[key]
    return out


def run(url: str, runs: int, log=print, phase=None) -> dict:
    """{case: [one dict per run]}, the cases interleaved (their order turns every run)."""
    results = {case: [] for case in CASES}
    order = list(CASES)
    for r in range(runs):
        for case in order[r % len(order):] + order[:r % len(order)]:
            got = phase(f"lighthouse {case} {r}", lambda: measure(url, case)) if phase \
                else measure(url, case)
            if got:
                results[case].append(got)
                log(f"lighthouse {case}: " + ", ".join(f"{k} {v:.3g}" for k, v in got.items()
                                                       if v is not None))
    return results


def medians(results: dict) -> dict:
    return {case: {k: statistics.median(v for r in rs if (v := r[k]) is not None)
                   if any(r[k] is not None for r in rs) else None for k in ("score", *AUDITS)}
            for case, rs in results.items() if rs}


def missed(results: dict) -> list[str]:
    """The targets the medians miss, as lines."""
    med, out = medians(results), []
    for (case, key), (limit, kind) in TARGETS.items():
        v = med.get(case, {}).get(key)
        if v is not None and (v < limit if kind == "min" else v > limit):
            out.append(f"lighthouse {case}: {key} {v:.3g} {'<' if kind == 'min' else '>'} {limit}")
    return out


def markdown(results: dict) -> str:
    med = medians(results)
    head = ["score", "TBT (ms)", "CLS", "LCP (s)", "TTI (s)", "bytes (MB)"]
    rows = ["| Lighthouse 12, performance (medians) | runs | " + " | ".join(head) + " |",
            "|---|---:|" + "---:|" * len(head)]

    def cell(case, key, fmt):
        v = med[case][key]
        target = TARGETS.get((case, key))
        text = "—" if v is None else format(v, fmt)
        if target and v is not None:
            ok = v >= target[0] if target[1] == "min" else v <= target[0]
            text += f" ({'≥' if target[1] == 'min' else '≤'} {target[0]} {'✓' if ok else '✗'})"
        return text

    for case in med:
        rows.append(f"| {case} | {len(results[case])} | " + " | ".join(
            cell(case, k, f) for k, f in (("score", ".0f"), ("tbt_ms", ".0f"), ("cls", ".3f"),
                                          ("lcp_s", ".1f"), ("tti_s", ".1f"), ("mb", ".2f"))) + " |")
    return "\n".join(rows) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--url", help="a site already served (default: build and serve it)")
    ap.add_argument("--json", help="also write the raw results here")
    args = ap.parse_args(argv)
    if args.url:
        results = run(args.url, args.runs)
    else:
        import browser as br
        with tempfile.TemporaryDirectory(prefix="pysim-lhp-") as tmp:
            srv, url = br.start_server(br.build_site(Path(tmp)))
            try:
                results = run(url, args.runs)
            finally:
                srv.shutdown()
    print(markdown(results))
    for line in missed(results):
        print("missed:", line)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
