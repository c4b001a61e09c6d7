"""The site and the browser every benchmark uses.

build_site(tmp) builds the site into tmp/dist (build.main) with the bench pages (pages/bench.html,
bench.js, bench-worker.js and pybench.py) copied in as bench/; start_server(dist) serves it on
127.0.0.1 (build.serve) in a thread. fresh_profile(pw, tmp) opens Debian's Chromium, launched as
the end-to-end tests launch it (tests/conftest.py), on a new empty profile with pages/probe.js
injected before the page's scripts; new_context(browser) is a plain context for the bench page.
"""
from __future__ import annotations

import contextlib
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

import build  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

PAGES = BENCH / "pages"
PROBE = PAGES / "probe.js"
BENCH_FILES = [PAGES / "bench.html", PAGES / "bench.js", PAGES / "bench-worker.js",
               BENCH / "pybench.py"]
VIEWPORT = {"width": 1280, "height": 1400}  # as the end-to-end tests
TIMEOUT_MS = 180_000  # one page load or one in-page measurement


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def build_site(tmp: Path, attempts: int = 3) -> Path:
    dist = tmp / "dist"
    for attempt in range(attempts):
        try:
            build.main(out=dist)
            break
        except build.BuildError as e:
            # build.py builds the pysim wheel inside the source tree (build/, *.egg-info):
            # a concurrent build there (the tests) can break this one; try again
            if attempt == attempts - 1:
                raise
            log(f"build failed ({str(e).splitlines()[0]}); trying again in 10 s")
            time.sleep(10)
    (dist / "bench").mkdir()
    for f in BENCH_FILES:
        shutil.copy(f, dist / "bench" / f.name)
    return dist


def start_server(dist: Path):
    srv = build.serve(dist, port=0)
    srv.handle_error = lambda request, address: None  # a browser closing a connection is fine
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.server_address[1]}/"


def new_context(browser):
    """A context of an open browser, without the probe (the bench page needs none)."""
    ctx = browser.new_context(viewport=VIEWPORT)
    ctx.set_default_timeout(TIMEOUT_MS)
    return ctx


@contextlib.contextmanager
def fresh_profile(pw, tmp: Path, probe: bool = True, viewport: dict = VIEWPORT):
    """A new browser on a new, empty profile (user data dir): nothing cached, and, unlike an
    incognito context, a disk cache and code cache as a real visitor has (for repeat visits).
    `probe`: pages/probe.js injected (it reads pysim.ready, which builds every view)."""
    user_dir = Path(tempfile.mkdtemp(prefix="profile-", dir=tmp))
    ctx = pw.chromium.launch_persistent_context(str(user_dir), executable_path=CHROMIUM,
                                                args=CHROMIUM_ARGS, viewport=viewport)
    try:
        ctx.set_default_timeout(TIMEOUT_MS)
        if probe:
            ctx.add_init_script(path=str(PROBE))
        yield ctx, (ctx.pages[0] if ctx.pages else ctx.new_page())
    finally:
        ctx.close()
        shutil.rmtree(user_dir, ignore_errors=True)


def watch(page, errors: list) -> None:
    """Collect the page's uncaught errors and console errors into `errors`."""
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
