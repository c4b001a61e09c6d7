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
    from pysim import io
    return io.to_bytes(make_model(H))


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


def primitive_times(sizes=(12, 32, 128), T: int = 200, blocks: int = 5, min_s: float = 0.05,
                    warmup: bool = True) -> list[dict]:
    """What one LSTM step of Model.trace is made of, each numpy call timed alone at that H
    (D = H), in microseconds per call: the mat-vec [W | b] . [h, x, 1] (einsum or matmul, as
    Model.trace picks it here), tanh of the 4H gate pre-activations and of the H cell values, an
    element-wise op into an existing array of 4H and of H values, one that makes a new (H,)
    array, and one call on a single value (the cost of a numpy call itself). Values in the ranges
    a trace has (tanh's speed depends on them). `step` is Model.trace per step (an H = D random
    layer, T steps), which makes these calls (1 mat-vec, 1 + 1 tanh, 2 element-wise on 4H and 3
    on H into existing arrays, 1 new (H,)) plus the trace's own arrays."""
    from pysim import fast  # the fast twin (Model.trace's default path)
    from pysim import model as M
    rng = np.random.default_rng(0)
    reps = 100  # calls per timed function: the Python call of the timing loop is spread thin
    out = []
    for H in sizes:
        Wb = rng.standard_normal((4 * H, 2 * H + 1))
        hx, z, a = rng.uniform(-1, 1, 2 * H + 1), rng.uniform(-3, 3, 4 * H), np.empty(4 * H)
        v, w, one, res = rng.uniform(-1.5, 1.5, H), np.empty(H), np.ones(1), np.empty(1)
        scale = fast.gate_scale(H)[0]
        einsum = fast.EINSUM_MATVEC_SIZE is not None and Wb.size >= fast.EINSUM_MATVEC_SIZE

        def loop(fn):
            def run():
                for _ in range(reps):
                    fn()
            return lambda: [1000.0 * ms / reps for ms in timed_blocks(run, blocks, min_s, warmup)]
        calls = {
            "matvec": loop((lambda: np.einsum("gk,k->g", Wb, hx, out=z)) if einsum
                           else (lambda: np.matmul(Wb, hx, out=z))),
            "tanh_4H": loop(lambda: np.tanh(z, out=a)),
            "tanh_H": loop(lambda: np.tanh(v, out=w)),
            "inplace_4H": loop(lambda: np.multiply(z, scale, out=a)),  # (not a *= ...: denormals)
            "inplace_H": loop(lambda: np.multiply(v, v, out=w)),
            "new_H": loop(lambda: v * v),
            "call_1": loop(lambda: np.multiply(one, one, out=res)),
        }
        us = {name: timer() for name, timer in calls.items()}
        layer = M.Model.random(M.Config(input_size=H, hidden_size=H), seed=0)
        x = rng.standard_normal((T, H))
        us["step"] = [1000.0 * ms / T
                      for ms in timed_blocks(lambda: layer.trace(x), blocks, min_s, warmup)]
        out.append({"H": H, "T": T, "matvec": "einsum" if einsum else "matmul", "us": us})
    return out


def environment() -> dict:
    try:  # which BLAS numpy's matmul uses (Pyodide's numpy has none: plain C loops)
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        blas = {k: blas.get(k) for k in ("name", "found", "version")}
    except Exception as e:  # noqa: BLE001 - older numpy, or no build information
        blas = {"error": str(e)}
    return {"python": sys.version.split()[0], "numpy": np.__version__, "blas": blas,
            "platform": platform.platform(), "machine": platform.machine()}


FUNCTIONS = {"trace_times": trace_times, "train_rate": train_rate,
             "primitive_times": primitive_times, "environment": environment}


def run_json(name: str, kwargs_json: str = "{}") -> str:
    return json.dumps(FUNCTIONS[name](**json.loads(kwargs_json)))
