"""The Markdown tables of a run (<out>.md, printed at the end, pasted into the README).

markdown(metrics, forward, raw, meta): the run's line (command, date, commit, machine, other
processes' load), the metrics table (median with p95 for times, range, target, pass), the forward
pass table (pysim native and in Pyodide, PyTorch float64 and float32) and the numpy calls of one
step (pybench.primitive_times, native -> Pyodide), the embeds' table and Lighthouse's.
"""
from __future__ import annotations

import statistics

FORMATS = {"s": "{:.2f} s", "×": "{:.2f}×", "MB": "{:.2f} MB", "steps/s": "{:.0f}"}
PRIMITIVES = (("matvec", "mat-vec [W|b]·[h,x,1]"), ("tanh_4H", "tanh, 4H"), ("tanh_H", "tanh, H"),
              ("inplace_4H", "element-wise, 4H"), ("inplace_H", "element-wise, H"),
              ("new_H", "element-wise, new (H,)"), ("call_1", "one value"), ("step", "whole step"))


def fmt(v: float, unit: str) -> str:
    if unit == "ms":
        return f"{v:.1f} ms" if v < 100 else f"{v:.0f} ms"
    return FORMATS[unit].format(v)


def markdown(metrics: list, forward: list, raw: dict, meta: dict) -> str:
    git, others = meta["git"], meta["other_processes_cpus"]
    lines = [f"`python benchmarks/run.py` ({meta['profile']}, {meta['config']['runs']} runs), "
             f"{meta['date'][:10]}, commit {str(git.get('commit'))[:10]}"
             f"{' + local changes' if git.get('dirty') else ''}; {meta['cpus']} CPUs, "
             f"headless Chromium {meta['chromium']}, Pyodide {meta['pyodide']}"
             + (f"; other processes used {others:.2f} CPUs meanwhile" if others is not None
                else "") + ".", ""]
    lines += ["| Metric | Median | Range (min..max) | Target | Pass |", "|---|---|---|---|---|"]
    for m in metrics:
        if m.get("median") is None:
            lines.append(f"| {m['label']} | — | {m.get('note') or 'not measured'} | "
                         f"{m['target_text']} | — |")
            continue
        med = fmt(m["median"], m["unit"])
        if m["unit"] == "ms" and m.get("p95") is not None:
            med += f" (p95 {fmt(m['p95'], 'ms')})"
        rng = f"{fmt(m['min'], m['unit'])}..{fmt(m['max'], m['unit'])}"
        if m.get("range_of"):
            rng += " (run medians)"
        ok = {True: "pass", False: "**FAIL**", None: "—"}[m["pass"]]
        lines.append(f"| {m['label']} | {med} | {rng} | {m['target_text']} | {ok} |")
    if forward:
        tinfo = raw.get("torch") or {}
        lines += ["", "Forward pass with full trace (`pysim.api.trace_text`), batch 1, median ms "
                  "per call; PyTorch: embedding → nn.LSTM → linear → softmax, "
                  + (f"torch {tinfo['torch']}, {tinfo['threads']} thread(s)" if "torch" in tinfo
                     else tinfo.get("skipped", "not run")) + ":", "",
                  "| Model | T | pysim native | pysim in Pyodide | Pyodide / native | "
                  "PyTorch float64 | PyTorch float32 |", "|---|---|---|---|---|---|---|"]
        for row in forward:
            def ms(k):
                s = row.get(k)
                return fmt(s["median"], "ms") if s else "—"
            lines.append(f"| {row['model']} (H={row['H']}, D={row['D']}) | {row['T']} | "
                         f"{ms('native_ms')} | {ms('wasm_ms')} | {row['ratio']:.2f}× | "
                         f"{ms('torch_float64_ms')} | {ms('torch_float32_ms')} |")
    lines += primitives_table(raw)
    if raw.get("embeds"):
        from three_embeds import table  # noqa: PLC0415 - only for a run that measured embeds
        lines += ["", "Embeds on one page (`benchmarks/three_embeds.py`: seconds until the last one is "
                  "ready, the browser's memory then; medians):", "", table(raw["embeds"])]
    text = "\n".join(lines) + "\n"
    if raw.get("lighthouse"):  # (imported here: only a run that ran Lighthouse needs node_tools)
        import lighthouse  # noqa: PLC0415
        text += "\n" + lighthouse.markdown(raw["lighthouse"])
    if any(raw.get("lighthouse_perf", {}).values()):
        import lighthouse_perf  # noqa: PLC0415
        text += "\n" + lighthouse_perf.markdown(raw["lighthouse_perf"])
    return text


def primitives_table(raw: dict) -> list:
    """The numpy calls of one LSTM step, timed alone natively and in Pyodide (pybench.primitive_times)."""
    py = raw.get("python", {})
    wasm, nat = (py.get(k, {}).get("primitives") for k in ("wasm", "native"))
    if not wasm or not nat:
        return []
    lines = ["", "The numpy calls one step of `Model.trace` makes, each timed alone, and the whole "
             "step (a one-layer H = D model, T = 200): median µs per call, native → Pyodide "
             "(ratio). The mat-vec is matmul or einsum, as `Model.trace` picks it (einsum in "
             "Pyodide above 3000 weights, faster there):", "",
             "| H (mat-vec native / Pyodide) | " + " | ".join(label for _, label in PRIMITIVES) + " |",
             "|---|" + "---|" * len(PRIMITIVES)]
    for w, n in zip(wasm, nat):
        cells = []
        for key, _ in PRIMITIVES:
            a, b = statistics.median(n["us"][key]), statistics.median(w["us"][key])
            cells.append(f"{a:.1f} → {b:.1f} ({b / a:.1f}×)")
        lines.append(f"| {w['H']} ({n['matvec']} / {w['matvec']}) | " + " | ".join(cells) + " |")
    return lines
