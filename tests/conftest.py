"""Shared fixtures: one build of the site and one static server per session, a real headless
Chromium (Debian's), and a console-error check for every end-to-end test."""
from __future__ import annotations

import shutil
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import build  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """build.main() into a temp dir, once per session: (dist path, manifest)."""
    out = tmp_path_factory.mktemp("dist")
    manifest = build.main(out=out)
    return out, manifest


@pytest.fixture(scope="session")
def server(site):
    """dist/ served on 127.0.0.1 (a free port); yields the base URL."""
    srv = build.serve(site[0], port=0)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/"
    srv.shutdown()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


class ConsoleWatch:
    """Collects browser console errors, page errors and dialogs (any of them fails a test)."""

    def __init__(self, page):
        self.errors: list[str] = []
        self.allowed: list[str] = []  # substrings a test expects (e.g. a deliberate 404)
        page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.errors.append(f"dialog: {dialog.type} {dialog.message}")
        dialog.dismiss()

    def check(self):
        bad = [e for e in self.errors if not any(a in e for a in self.allowed)]
        self.errors.clear()
        assert not bad, "browser reported errors:\n" + "\n".join(bad)


def new_page(browser):
    """A fresh context and page with a console watch (page.watch); not yet navigated."""
    context = browser.new_context(viewport={"width": 1280, "height": 1400})
    page = context.new_page()
    page.watch = ConsoleWatch(page)
    return page


# The step cursor of a figure (web/cursor.js draws it as HTML over the plot): where its parts are, in the
# figure's data units (steps), read from the boxes the browser lays out.
STEP_CURSOR = """name => {
  const fig = window.pysim.model(name);
  const view = Bokeh.index.get_one(fig);
  const layer = view.canvas_view.overlays_el;
  const origin = layer.getBoundingClientRect().left;
  const x = (px) => Math.round(view.frame.x_scale.invert(px - origin) * 1000) / 1000;
  const box = (kind) => layer.querySelector(`[data-cursor="${kind}_${name}"]`);
  const now = box("now"), curtain = box("curtain").getBoundingClientRect();
  return { curtain: x(curtain.left),
           now: now ? [x(now.getBoundingClientRect().left), x(now.getBoundingClientRect().right)] : null };
}"""


def step_cursor(page, figure):
    """{"curtain": left edge, "now": [left, right] or None} of a figure's step cursor, in steps."""
    return page.evaluate(STEP_CURSOR, figure)


# A heatmap's image (web/page.py: (H, T), row = unit) as a (T, H) list, or the probabilities
# image ((K, T), tag k on row K-1-k) as (T, K).
IMAGE = """([source, field]) => {
  const img = window.pysim.model(source).data[field][0];
  return { shape: img.shape, values: Array.from(img) };
}"""


def heatmap(page, field):
    import numpy as np
    got = page.evaluate(IMAGE, ["cells", field])
    return np.array(got["values"]).reshape(got["shape"]).T


def probs_image(page):
    import numpy as np
    got = page.evaluate(IMAGE, ["probs", "p"])
    return np.array(got["values"]).reshape(got["shape"])[::-1].T
