"""pysim's Python natively and in Pyodide, and PyTorch as a yardstick.

python_timings(browser, url, cfg, cases) runs pybench's timings (trace_text per case, training
steps per second, the numpy calls of one step) in Pyodide (the bench page, benchmarks/pages/: a
worker like the page's, the same pyodide/ files) and natively in this Python, in `cfg["blocks"]`
alternating blocks, so that both see the same machine. torch_yardstick(cfg, shapes, python) runs
torch_bench.py on the same shapes in a Python that has torch: `--torch-python`, else
$PYSIM_TORCH_PYTHON, else the repo's .venv311 (what CI creates); skipped, saying so, when there
is none or it fails.
"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pybench
from browser import BENCH, ROOT, new_context, watch

PY_TS = (50, 200)        # tokens, for native vs Pyodide vs PyTorch
PY_HS = (None, 32, 128)  # None: the beijing preset (H = 12); else random, D = H
TORCH_PYTHON = os.environ.get("PYSIM_TORCH_PYTHON", str(ROOT / ".venv311" / "bin" / "python"))


def python_timings(browser, url: str, cfg: dict, cases: list) -> dict:
    """pysim timed in Pyodide and natively, in alternating blocks; samples concatenated."""
    ctx = new_context(browser)
    try:
        page = ctx.new_page()
        errors: list[str] = []
        watch(page, errors)
        page.goto(url + "bench/bench.html")
        boot = page.evaluate("window.bench.ready")
        wasm = {"boot_ms": boot["ms"], "boot": boot.get("boot"),
                "environment": page.evaluate("() => window.bench.run('environment')"),
                "errors": errors}
        nat = {"environment": pybench.environment()}
        call = "([name, kw]) => window.bench.run(name, kw)"
        # warm-up: wasm code tiers up (Liftoff -> TurboFan) in its first seconds
        page.evaluate(call, ["trace_times", {"cases": cases, "blocks": 1, "min_s": cfg["min_s"],
                                             "warmup": False}])
        pybench.trace_times(cases, 1, cfg["min_s"], warmup=False)
        for b in range(cfg["blocks"]):
            kw = {"cases": cases, "blocks": 1, "min_s": cfg["min_s"], "warmup": False}
            w = page.evaluate(call, ["trace_times", kw])
            n = pybench.trace_times(**kw)
            kw = {"steps": cfg["train_steps"], "blocks": 1, "warmup": b == 0}
            wt = page.evaluate(call, ["train_rate", kw])
            nt = pybench.train_rate(**kw)
            kw = {"blocks": 1, "min_s": cfg["min_s"] / 5, "warmup": b == 0}
            wp = page.evaluate(call, ["primitive_times", kw])
            nprim = pybench.primitive_times(**kw)
            if b == 0:
                wasm["traces"], nat["traces"], wasm["train"], nat["train"] = w, n, wt, nt
                wasm["primitives"], nat["primitives"] = wp, nprim
                continue
            for acc, new in ((wasm["traces"], w), (nat["traces"], n)):
                for a, x in zip(acc, new):
                    a["ms"] += x["ms"]
            for acc, new in ((wasm["primitives"], wp), (nat["primitives"], nprim)):
                for a, x in zip(acc, new):
                    for k in a["us"]:
                        a["us"][k] += x["us"][k]
            wasm["train"]["steps_per_s"] += wt["steps_per_s"]
            nat["train"]["steps_per_s"] += nt["steps_per_s"]
        return {"wasm": wasm, "native": nat}
    finally:
        ctx.close()


def torch_yardstick(cfg: dict, shapes: list, python: str) -> dict:
    if not Path(python).exists():
        return {"skipped": f"no Python with torch at {python} (set --torch-python or "
                           f"PYSIM_TORCH_PYTHON)"}
    args = json.dumps({"cases": shapes, "blocks": cfg["blocks"], "min_s": cfg["min_s"]})
    res = subprocess.run([python, str(BENCH / "torch_bench.py"), args], capture_output=True,
                         text=True, timeout=600)
    if res.returncode:
        tail = (res.stderr.strip().splitlines() or ["?"])[-1]
        return {"skipped": f"torch_bench.py failed under {python}: {tail}"}
    return json.loads(res.stdout)
