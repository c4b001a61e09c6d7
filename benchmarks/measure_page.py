"""The page in the browser: cold load, repeat visit, steps, retraces, bytes; and the floor page.

page_run(pw, tmp, url, sizes, cfg, r) is one run in a fresh profile: the cold load (times from
pages/probe.js and the page's performance marks, READ_TIMES), the bytes of the first visit, a
repeat visit once the service worker is active, then `cfg["retraces"]` retraces and
`cfg["steps"]` steps at each T in TS on the page's model (the beijing preset, H = 12) and, at half
as many samples, on seeded random models of each H in BIG_HS loaded with pysim.loadModel.
floor_run(pw, tmp, url) is the floor page's ready time (Pyodide + numpy only) in a fresh profile.
benchmarks/README.md says what each time means.
"""
from __future__ import annotations

import base64
import gzip
import statistics
from pathlib import Path
from urllib.parse import urlparse

import pybench
from browser import TIMEOUT_MS, fresh_profile, log, watch

TS = (10, 50, 200)    # tokens, for step and retrace
BIG_HS = (32, 128)    # step and retrace on random models loaded with pysim.loadModel


class Sizes:
    """Raw and gzip -6 sizes of the served files, by URL path (cached)."""

    def __init__(self, dist: Path):
        self.dist = dist
        self.cache: dict[str, tuple[int, int]] = {}

    def __call__(self, url: str) -> tuple[int, int] | None:
        path = urlparse(url).path.lstrip("/") or "index.html"
        if path not in self.cache:
            f = self.dist / path
            if not f.is_file():
                return None
            data = f.read_bytes()
            self.cache[path] = (len(data), len(gzip.compress(data, compresslevel=6, mtime=0)))
        return self.cache[path]


def count_bytes(requests, sizes: Sizes) -> dict:
    """Bytes of a visit's finished requests, the service worker's included.
    wire: body + headers of every request that went to the network (as Chromium counted them;
    what the service worker's cache answered is not on the wire); raw and gzip6: each file the
    visit fetched with 200, once, as stored and gzipped at level 6 (what a gzip host sends)."""
    wire = {"page": 0, "service_worker": 0}
    n = {"page": 0, "service_worker": 0}
    files = {}
    for req in requests:
        if not req.url.startswith("http"):
            continue
        try:
            s = req.sizes()
            resp = req.response()
            by_sw = req.service_worker is not None
        except Exception:  # noqa: BLE001 - a request of a closed page
            continue
        if resp is not None and resp.from_service_worker:
            continue  # answered from the service worker's cache: nothing on the wire
        who = "service_worker" if by_sw else "page"
        n[who] += 1
        wire[who] += max(s["responseBodySize"], 0) + max(s["responseHeadersSize"], 0)
        path = urlparse(req.url).path
        if resp is not None and resp.status == 200 and path not in files:
            got = sizes(req.url)
            if got:
                files[path] = {"raw": got[0], "gzip6": got[1]}
    return {"requests": n, "wire": sum(wire.values()), "wire_by": wire,
            "raw": sum(f["raw"] for f in files.values()),
            "gzip6": sum(f["gzip6"] for f in files.values()), "files": files}


READ_TIMES = """() => {
  const b = window.__bench || {};
  const mark = performance.getEntriesByName("pysim:drawn")[0];
  const preview = performance.getEntriesByName("pysim:preview")[0];
  const nav = performance.getEntriesByType("navigation")[0];
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  const answers = performance.getEntriesByName("pysim:answers")[0];
  return { drawn: mark ? mark.startTime : null, drawnAt: b.drawnAt, readyAt: b.readyAt,
           answers: answers ? answers.startTime : null, longTasks: b.longTasks || [],
           preview: preview ? preview.startTime : null,
           worker: b.workerReady, fcp: fcp ? fcp.startTime : null,
           workerCreated: b.workerCreatedAt ?? null, workerFirstMessage: b.workerFirstMessageAt ?? null,
           dcl: nav ? nav.domContentLoadedEventEnd : null, load: nav ? nav.loadEventEnd : null };
}"""


def load_page(page, url: str) -> dict:
    """Navigate, wait for pysim.ready; the times (ms from navigation start). The probe's own
    handler on pysim.ready (registered when app.js sets window.pysim) has run by then."""
    page.goto(url)
    page.wait_for_function("() => window.pysim && window.pysim.ready", polling=50)
    page.evaluate("async () => { await window.pysim.ready; }")
    return page.evaluate(READ_TIMES)


def interactions(page, cfg: dict, label: str, share: float = 1.0) -> dict:
    """Retraces and steps at each T on the page's current model; samples per run (x share)."""
    out = {}
    for T in TS:
        page.evaluate("t => window.pysim.setText(t)", pybench.make_text(T, 0))
        texts = [pybench.make_text(T, k + 1) for k in range(max(2, round(cfg["retraces"] * share)))]
        retraces = page.evaluate("texts => window.__bench.retraces(texts)", texts)
        steps = page.evaluate("n => window.__bench.steps(n)", max(4, round(cfg["steps"] * share)))
        out[str(T)] = {"retraces": retraces, "steps": steps}
        log(f"  {label} T={T}: step→painted median "
            f"{statistics.median(s['painted'] for s in steps):.1f} ms, retrace→painted median "
            f"{statistics.median(r['painted'] or r['api'] for r in retraces):.1f} ms")
    return out


def load_model(page, H: int) -> None:
    data = base64.b64encode(pybench.model_bytes(H)).decode()
    page.evaluate("""async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      await window.pysim.loadModel(bytes);
    }""", data)


WAIT_SW = """async (timeout) => {
  // app.js registers sw.js once Python is ready: wait for the registration, then for it to be
  // active (its install caches every file of the build)
  if (!("serviceWorker" in navigator)) return { registered: false };
  const t0 = performance.now();
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  let reg;
  while (!(reg = await navigator.serviceWorker.getRegistration()) && performance.now() - t0 < 5000) await sleep(25);
  if (!reg) return { registered: false };
  await Promise.race([navigator.serviceWorker.ready, sleep(timeout)]);
  return { registered: true, active: Boolean(reg.active), ms: performance.now() - t0 };
}"""


def page_run(pw, tmp: Path, url: str, sizes: Sizes, cfg: dict, r: int) -> dict:
    """One run on the page in a fresh profile: cold load, repeat visit, steps and retraces."""
    out = {"errors": []}
    errors = out["errors"]
    with fresh_profile(pw, tmp) as (ctx, page):
        watch(page, errors)
        requests = []
        # on the context: the service worker's requests are counted too
        ctx.on("requestfinished", lambda req: requests.append(req))
        out["cold"] = load_page(page, url)
        # the repeat visit comes once the service worker (build.py writes sw.js) has installed
        out["service_worker"] = page.evaluate(WAIT_SW, TIMEOUT_MS)
        out["cold_bytes"] = count_bytes(requests, sizes)
        requests.clear()
        out["repeat"] = load_page(page, url)
        out["repeat_bytes"] = count_bytes(requests, sizes)
        log(f"run {r}: cold preview {out['cold'].get('preview') or 0:.0f} ms, views "
            f"{out['cold']['drawn']:.0f} ms, ready "
            f"{out['cold']['readyAt']:.0f} ms; repeat ready {out['repeat']['readyAt']:.0f} ms")
        out["interactions"] = {"12": interactions(page, cfg, f"run {r} H=12")}
        for H in BIG_HS:
            try:
                load_model(page, H)
                out["interactions"][str(H)] = interactions(page, cfg, f"run {r} H={H}", 0.5)
            except Exception as e:  # noqa: BLE001 - report, go on with the other sizes
                errors.append(f"loadModel H={H}: {e}")
    return out


def floor_run(pw, tmp: Path, url: str) -> float:
    with fresh_profile(pw, tmp) as (ctx, page):
        page.goto(url + "floor.html")
        return float(page.evaluate("window.floorReady"))
