"""benchmarks/: the parts that run without a browser. CpuLoad counts a process of its tree after
the process was re-parented to init (as Chromium's are when the browser closes); the stored full
run's samples give back its metrics and its Markdown tables (summary + report); the plot has one
bar per targeted metric, coloured by pass; the PyTorch Python defaults to the repo's .venv311."""
from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.append(str(BENCH))  # appended: benchmarks/profile.py must not shadow the stdlib's

from cpu import CpuLoad  # noqa: E402
from plot import FAIL, PASS, make_plot, title, write_html  # noqa: E402
from report import markdown  # noqa: E402
from summary import TARGETS, summarize  # noqa: E402

LATEST = BENCH / "results" / "latest.json"

# a child that starts a grandchild and exits after 1 s; the grandchild, re-parented by then,
# uses 1.5 CPU-s and idles 1 s (sampled every 0.5 s) before it ends
GRANDCHILD = ("import time\nt = time.process_time()\ntime.sleep(1.2)\n"
              "while time.process_time() - t < 1.5: pass\ntime.sleep(1)")
CHILD = ("import subprocess, sys, time\n"
         f"p = subprocess.Popen([sys.executable, '-c', {GRANDCHILD!r}])\n"
         "print(p.pid, flush=True)\ntime.sleep(1)")


def test_cpu_load_counts_a_process_reparented_to_init():
    cpu = CpuLoad()
    a = cpu.snapshot()
    child = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                           check=True)
    grandchild = psutil.Process(int(child.stdout))
    assert grandchild.ppid() != os.getpid()  # its parent has gone: it is not our descendant
    while grandchild.is_running() and grandchild.status() != psutil.STATUS_ZOMBIE:
        time.sleep(0.1)
    used = cpu.ours(a, cpu.snapshot())
    # 1.5 CPU-s of the grandchild, plus two Python start-ups and this process's sampling
    assert 1.45 <= used <= 3.0, used


def test_cpu_load_others_is_cpus_per_second():
    assert CpuLoad.others((0.0, 10.0, 4.0), (2.0, 13.0, 5.0)) == pytest.approx(1.0)
    assert CpuLoad.others((0.0, 10.0, 4.0), (2.0, 10.5, 5.0)) == 0.0  # never below zero
    assert CpuLoad.others((0.0, 10.0, 4.0), (0.2, 13.0, 5.0)) is None  # too short to tell
    assert CpuLoad.ours((0.0, 10.0, 4.0), (2.0, 13.0, 5.5)) == 1.5


def close(a, b) -> bool:
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b))
    if isinstance(a, float):
        return math.isclose(a, b, rel_tol=1e-12)
    return a == b


def test_the_stored_run_gives_back_its_metrics_and_tables():
    run = json.loads(LATEST.read_text())
    metrics, forward = summarize(run["raw"])
    assert [m["key"] for m in metrics] == [m["key"] for m in run["metrics"]]
    assert close(metrics, run["metrics"]) and close(forward, run["forward"])
    assert markdown(metrics, forward, run["raw"], run["meta"]) == \
        LATEST.with_suffix(".md").read_text()
    by_key = {m["key"]: m for m in metrics}
    assert {k for k in TARGETS} <= set(by_key)  # every target measured at every H
    assert by_key["ready_over_floor"]["pass"] is (by_key["ready_over_floor"]["median"] <= 1.10)


def test_plot_has_one_bar_per_targeted_metric(tmp_path):
    run = json.loads(LATEST.read_text())
    targeted = [m for m in run["metrics"] if m["target"] and m["median"] is not None]
    fig = make_plot(run["metrics"], run["meta"])
    data = fig.renderers[0].data_source.data
    assert data["label"] == [m["label"] for m in targeted]
    assert data["colour"] == [PASS if m["pass"] else FAIL for m in targeted]
    assert data["ratio"] == pytest.approx([min(m["median"] / m["target"], 6.0) for m in targeted])
    assert list(fig.y_range.factors) == [m["label"] for m in reversed(targeted)]
    write_html(run["metrics"], run["meta"], tmp_path / "latest.html")
    html = (tmp_path / "latest.html").read_text()
    assert f"<title>{title(run['meta'])[0]}</title>" in html
    # BokehJS inside the page (it opens offline), fetched from nowhere
    assert "<script src=" not in html and "Repeat visit" in html
    assert "Bokeh" in html and len(html) > 500_000


def test_the_torch_python_defaults_to_the_repos_venv311():
    env = {k: v for k, v in os.environ.items() if k != "PYSIM_TORCH_PYTHON"}
    code = "import measure_python; print(measure_python.TORCH_PYTHON)"
    got = subprocess.run([sys.executable, "-c", code], cwd=BENCH, env=env, capture_output=True,
                         text=True, check=True).stdout.strip()
    assert got == str(BENCH.parent / ".venv311" / "bin" / "python")
    env["PYSIM_TORCH_PYTHON"] = "/opt/torch/bin/python"
    got = subprocess.run([sys.executable, "-c", code], cwd=BENCH, env=env, capture_output=True,
                         text=True, check=True).stdout.strip()
    assert got == "/opt/torch/bin/python"


def test_a_cpu_profile_by_file_and_function():
    from js_profile import summarize_profile
    frame = lambda url, fn, line: {"url": url, "functionName": fn, "lineNumber": line}  # noqa: E731
    profile = {"nodes": [{"id": 1, "callFrame": frame("", "(root)", -1), "children": [2, 4]},
                         {"id": 2, "callFrame": frame("http://h:1/app.js", "f", 9), "children": [3]},
                         {"id": 3, "callFrame": frame("http://h:1/bokeh/b.js?v=1", "paint", 0)},
                         {"id": 4, "callFrame": frame("", "(idle)", -1)}],
               "samples": [2, 3, 3, 4], "timeDeltas": [1000, 2000, 3000, 4000]}  # µs
    s = summarize_profile(profile, per=2)
    assert (s["busy_ms"], s["idle_ms"]) == (3.0, 2.0)
    assert s["self_by_file"] == [("bokeh/b.js", 2.5), ("app.js", 0.5)]
    assert s["incl_by_file"] == [("app.js", 3.0), ("bokeh/b.js", 2.5)]
    assert s["self_by_function"] == [("paint (bokeh/b.js:1)", 2.5), ("f (app.js:10)", 0.5)]
    assert s["incl_by_function"] == [("f (app.js:10)", 3.0), ("paint (bokeh/b.js:1)", 2.5)]
