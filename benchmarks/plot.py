"""The targets at a glance: each targeted metric as a multiple of its target, a Bokeh plot.

    python benchmarks/plot.py [benchmarks/results/latest.json]   # -> latest.html beside it

run.py writes <out>.html with write_html(metrics, meta, path) after each run. One row per metric
that has a target and was measured: a bar from 0 to median / target (green when it meets the
target, red when not), a whisker over min..max / target, the dashed line at 1 (left of it meets
the target) and the median and target as text; a value beyond the axis (6× at most) is marked
"▸". Hovering a row shows its numbers. A standalone HTML file with BokehJS inside it (opens offline).
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

from bokeh.embed import file_html
from bokeh.models import (ColumnDataSource, HoverTool, PrintfTickFormatter, Range1d, Span,
                          Title, Whisker)
from bokeh.plotting import figure
from bokeh.resources import INLINE

from report import fmt

PASS, FAIL = "#2e7d32", "#c62828"


def title(meta: dict) -> tuple[str, str]:
    """The run (the page's title), and the machine it ran on."""
    others = meta["other_processes_cpus"]
    return (f"pysim benchmarks, {meta['date'][:10]}, {meta['profile']} run "
            f"({meta['config']['runs']} runs)",
            f"{meta['cpus']} CPUs, Chromium {meta['chromium']}"
            + (f"; other processes used {others:.1f} CPUs" if others is not None else ""))


def make_plot(metrics: list, meta: dict):
    # ---- data ------------------------------------------------------------------------------
    rows = [m for m in metrics if m.get("target") and m.get("median") is not None]
    vmax = min(math.ceil(max([2.0] + [m["max"] / m["target"] for m in rows]) * 2) / 2, 6.0)
    ratio = [m["median"] / m["target"] for m in rows]
    hi = [m["max"] / m["target"] for m in rows]
    source = ColumnDataSource({
        "label": [m["label"] for m in rows],
        "ratio": [min(f, vmax) for f in ratio],
        "lo": [min(m["min"] / m["target"], vmax) for m in rows],
        "hi": [min(h, vmax) for h in hi],
        "colour": [PASS if m["pass"] else FAIL for m in rows],
        "text": [("▸ " if h > vmax else "") + f"{fmt(m['median'], m['unit'])} / "
                 f"{m['target_text'].replace('≤ ', '')}" for m, h in zip(rows, hi)],
        "median": [fmt(m["median"], m["unit"]) for m in rows],
        "range": [f"{fmt(m['min'], m['unit'])}..{fmt(m['max'], m['unit'])}" for m in rows],
        "target": [m["target_text"] for m in rows],
        "multiple": [f"{f:.2f}×" for f in ratio],
    })

    # ---- plots -----------------------------------------------------------------------------
    fig = figure(y_range=list(reversed(source.data["label"])), x_range=Range1d(0, vmax * 1.3),
                 width=900, height=110 + 26 * len(rows), toolbar_location=None,
                 x_axis_label="median as a multiple of its target (bar), range (whisker); "
                              "left of the dashed line meets the target")
    fig.hbar(y="label", left=0, right="ratio", height=0.6, color="colour", alpha=0.75,
             source=source)
    fig.add_layout(Whisker(source=source, base="label", lower="lo", upper="hi",
                           dimension="width", line_color="#222"))
    fig.text(x="hi", y="label", text="text", x_offset=8, text_baseline="middle",
             text_font_size="11px", source=source)
    fig.add_layout(Span(location=1, dimension="height", line_dash="dashed", line_color="black"))
    fig.add_tools(HoverTool(tooltips=[("", "@label"), ("median", "@median (@multiple)"),
                                      ("range", "@range"), ("target", "@target")]))
    fig.xaxis.ticker = [v / 2 for v in range(int(vmax * 2) + 1)]
    fig.xaxis.formatter = PrintfTickFormatter(format="%.1f×")
    fig.ygrid.grid_line_color = None
    run, machine = title(meta)
    fig.add_layout(Title(text=machine, text_font_style="normal"), "above")
    fig.add_layout(Title(text=run, text_font_size="14px"), "above")

    # ---- layout ----------------------------------------------------------------------------
    return fig


def write_html(metrics: list, meta: dict, path: Path) -> None:
    path.write_text(file_html(make_plot(metrics, meta), INLINE, title(meta)[0]))


if __name__ == "__main__":
    src = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent / "results/latest.json")
    stored = json.loads(src.read_text())
    write_html(stored["metrics"], stored["meta"], src.with_suffix(".html"))
    print(f"wrote {src.with_suffix('.html')}")
