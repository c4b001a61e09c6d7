"""Time to 100 % held-out accuracy on beijing, trained in the browser (headless Chromium, real
Pyodide, the built dist/): `pysim.train({task: 'beijing', until: 1, reset: true})`, timed in the
page from the call (fresh model, corpus included) to the chunk whose held-out evaluation says 100 %.
"cold": right after Python is ready; "warm": the Train tab was opened first (it generates the
corpus in the worker). Usage: python build.py && python benchmarks/train_browser.py [runs]"""
import os
import pathlib
import statistics
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import browser as br  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
srv, url = br.start_server(br.ROOT / "dist")
TAB = """name => { const t = window.pysim.model('panels');
  t.active = t.tabs.findIndex(p => p.name === name); }"""
res = {"cold": [], "warm": []}
with sync_playwright() as p:
    b = p.chromium.launch(executable_path=br.CHROMIUM, args=br.CHROMIUM_ARGS)
    for i in range(int(sys.argv[1]) if len(sys.argv) > 1 else 3):
        for mode in ("cold", "warm"):
            ctx = b.new_context(viewport=br.VIEWPORT)
            page = ctx.new_page()
            page.goto(url)
            page.evaluate("window.pysim.ready")
            if mode == "warm":
                page.evaluate(TAB, "panel_train")   # generates the corpus in the worker
                page.wait_for_timeout(3000)
            r = page.evaluate("window.pysim.train({task: 'beijing', until: 1, reset: true})")
            st = page.evaluate("window.pysim.trainingStatus()")
            res[mode].append(r["seconds"])
            print(f"{mode}: {r['seconds']:.2f} s, {r['steps']} steps, stopped={r['stopped']}, "
                  f"held-out {r['heldOut'][-1]['accuracy']}; in Python: updates {st['seconds']:.2f} s, "
                  f"evaluations {st['eval_seconds']:.2f} s, setup {st['setup_seconds']:.2f} s; load {os.getloadavg()[0]:.1f}", flush=True)
            ctx.close()
    b.close()
for k, v in res.items():
    print(k, "median", round(statistics.median(v), 2), "min", round(min(v), 2), "max", round(max(v), 2))
