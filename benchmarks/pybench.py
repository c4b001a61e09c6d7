"""The Python side of the benchmarks: the same code times pysim natively (CPython + numpy) and in
the browser (Pyodide + numpy, in benchmarks/pages/bench-worker.js, which loads this file).

Everything goes through run_json(name, json_kwargs) -> json string, so the worker needs no
Python <-> JS conversions. Only the standard library, numpy and pysim are imported.
"""
from __future__ import annotations

import json
import platform
import sys
import time

import numpy as np

# the article's sentence and a few more in-vocabulary words, for texts of any length
WORDS = ("arrive Beijing on November 2nd and leave Shanghai on December 3rd then fly to "
         "Paris").split()
LAST = ("Beijing", "Shanghai")  # a "keystroke" alternates the last word between these


def make_text(T: int, variant: int = 0) -> str:
    """A text of exactly T tokens from the beijing preset's vocabulary (variant: last word)."""
    words = [WORDS[k % len(WORDS)] for k in range(T)]
    if T:
        words[-1] = LAST[variant % len(LAST)]
    return " ".join(words)


def make_model(H: int | None):
    """H None: the beijing preset (H = 12). Otherwise a seeded random model over the same
    vocabulary and tags with D = H (the page's presets also have D = H)."""
    from pysim import presets
    from pysim.model import Config, Model
    base = presets.load("beijing")
    if H is None or H == base.config.hidden_size:
        return base
    cfg = Config(input_size=H, hidden_size=H, num_layers=1, vocab=list(base.config.vocab),
                 tags=list(base.config.tags))
    return Model.random(cfg, seed=0, meta={"name": f"random-H{H}",
                                           "description": f"benchmark model, H = D = {H}, seed 0"})


def model_bytes(H: int) -> bytes:
    """The model file (.npz) of make_model(H), for pysim.loadModel in the page."""
    import os
    import tempfile
    from pysim import io
    model = make_model(H)
    if hasattr(io, "to_bytes"):
        return io.to_bytes(model)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, f"bench-H{H}.npz")
        model.save(path)
        with open(path, "rb") as f:
            return f.read()


def timed_blocks(fn, blocks: int, min_s: float, warmup: bool = True):
    """Call fn repeatedly in `blocks` timed blocks of at least min_s seconds each, after one
    untimed warm-up block (warmup); per block, the mean time per call in ms."""
    out = []
    for _ in range(blocks + int(warmup)):
        n, t0 = 0, time.perf_counter()
        while True:
            fn()
            n += 1
            dt = time.perf_counter() - t0
            if dt >= min_s:
                break
        out.append(1000.0 * dt / n)
    return out[int(warmup):]


def trace_times(cases, blocks: int = 5, min_s: float = 0.2, warmup: bool = True) -> list[dict]:
    """cases: [{"H": 12 | 32 | 128 | None, "T": int}] -> per case the ms per trace_text call
    (what the worker runs for every retrace: tokenize, embed, LSTM with full trace, softmax)."""
    from pysim.api import trace_text
    out = []
    for case in cases:
        model = make_model(case.get("H"))
        text = make_text(case["T"])
        d = trace_text(model, text)
        assert d["shape"][1] == case["T"], d["shape"]
        out.append({**case, "model": model.meta.get("name", "beijing"), "H": model.config.hidden_size, "D": model.config.input_size,
                    "V": len(model.config.vocab), "K": len(model.config.tags),
                    "ms": timed_blocks(lambda: trace_text(model, text), blocks, min_s, warmup)})
    return out


def train_rate(steps: int = 30, blocks: int = 5, task: str = "beijing", warmup: bool = True) -> dict:
    """Training steps per second: Trainer(tasks.make(task, seed=0), seed=0).step(steps), timed,
    a fresh trainer per block (so every block trains on the same batches), after an untimed
    warm-up block."""
    from pysim import tasks
    from pysim.train import Trainer
    t = tasks.make(task, seed=0)
    rates = []
    for b in range(blocks + int(warmup)):
        tr = Trainer(t, seed=0)
        t0 = time.perf_counter()
        tr.step(steps)
        if b >= int(warmup):
            rates.append(steps / (time.perf_counter() - t0))
    tr = Trainer(t, seed=0)
    return {"task": task, "steps_per_block": steps, "batch_size": tr.batch_size,
            "hidden": tr.model.config.hidden_size, "steps_per_s": rates}


def environment() -> dict:
    try:  # which BLAS numpy's matmul uses (Pyodide's numpy has none: plain C loops)
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        blas = {k: blas.get(k) for k in ("name", "found", "version")}
    except Exception as e:  # noqa: BLE001 - older numpy, or no build information
        blas = {"error": str(e)}
    return {"python": sys.version.split()[0], "numpy": np.__version__, "blas": blas,
            "platform": platform.platform(), "machine": platform.machine()}


FUNCTIONS = {"trace_times": trace_times, "train_rate": train_rate, "environment": environment}


def run_json(name: str, kwargs_json: str = "{}") -> str:
    return json.dumps(FUNCTIONS[name](**json.loads(kwargs_json)))
