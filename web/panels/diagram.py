"""The cell diagram: one LSTM unit as the article draws it, for the selected unit and step.

Static parts (boxes, nodes, labels) are drawn here; web/features/diagram.js fills the sources
named diagram_* with the values at the current step: gauges (the gates as valves, 0 closed ..
1 open), flow widths, numbers and the equations with numbers.
"""
from __future__ import annotations

from bokeh.models import ColumnDataSource, TabPanel
from bokeh.layouts import column, row
from bokeh.plotting import figure

from web.constants import COLOURS, DIAGRAM, INK  # shared with web/features/diagram.js
from web.strings import DEFAULT_LANG, text

GATE_Y = DIAGRAM["gate_y"]
GAUGE_Y0, GAUGE_H = DIAGRAM["gauge_y0"], DIAGRAM["gauge_h"]
CELL_Y = DIAGRAM["cell_y"]
GATES_X = DIAGRAM["gates_x"]


def panel(lang: str = DEFAULT_LANG) -> TabPanel:
    # scales with the width, 560..760 px: its labels stay apart. On a narrower screen it scrolls
    # sideways in its box (diagram_box; a 2-D figure, WCAG 1.4.10's exception), the page does not
    fig = figure(name="diagram_fig", height=420, width=760, x_range=(-0.6, 16.2),
                 sizing_mode="scale_width", min_width=560, max_width=760,
                 y_range=(-0.4, 9.2), tools="save", toolbar_location="right",
                 title=text(lang, "diagram.title", u=0), match_aspect=False)
    fig.axis.visible = False
    fig.grid.visible = False
    fig.outline_line_alpha = 0
    fig.title.text_font_size = "13px"

    # What changes with the step is drawn at level "overlay": BokehJS then repaints only that
    # canvas layer on a step, not the static drawing (8.6 -> 3 ms of BokehJS paint per step)
    DYNAMIC = dict(level="overlay")
    # flows: lines whose width shows how much passes (JS sets widths)
    flows = ColumnDataSource(name="diagram_flows", data=dict(xs=[], ys=[], width=[], colour=[]))
    fig.multi_line("xs", "ys", line_width="width", line_color="colour", source=flows,
                   line_cap="round", **DYNAMIC)

    # static wiring: [h_{t-1}, x_t] bus feeding the four gates
    fig.line([0.9, 11.6], [1.2, 1.2], line_color="#888888", line_width=2)
    for x in GATES_X.values():
        fig.line([x, x], [1.2, GATE_Y - 0.45], line_color="#888888", line_width=2)
    # gate boxes
    xs = list(GATES_X.values())
    fig.rect(xs, [GATE_Y] * 4, width=1.7, height=0.9, fill_color=[COLOURS[k] for k in GATES_X],
             fill_alpha=0.15, line_color=[COLOURS[k] for k in GATES_X], line_width=2)
    fig.text(xs, [GATE_Y] * 4, text=[text(lang, f"diagram.{k}") for k in GATES_X], text_align="center",
             text_baseline="middle", text_font_size="12px")
    # valve housings (outlines); the fill is dynamic
    fig.rect(xs, [GAUGE_Y0 + GAUGE_H / 2] * 4, width=0.55, height=GAUGE_H, fill_color="#f3f4f7",
             line_color="#666666")
    gauges = ColumnDataSource(name="diagram_gauges", data=dict(x=[], y=[], height=[], colour=[]))
    fig.rect("x", "y", width=0.55, height="height", fill_color="colour", line_color=None,
             source=gauges, **DYNAMIC)
    # operators: x and + on the memory line, the output's tanh and x (flows end at their edges)
    nodes_x, nodes_y = zip(*DIAGRAM["nodes"].values())  # keep, add, let_in, tanh, show
    fig.scatter(nodes_x, nodes_y, size=[26, 26, 26, 36, 26], fill_color="white",
                line_color=INK, line_width=2)
    fig.text(nodes_x, nodes_y, text=["\u00d7", "+", "\u00d7", "tanh", "\u00d7"], text_align="center",
             text_baseline="middle", text_font_size=["14px", "14px", "14px", "11px", "14px"],
             text_font_style="bold")
    # fixed labels
    fig.text([-0.4, -0.4, 14.0, 14.0, 0.5], [CELL_Y + 0.55, 1.75, CELL_Y + 0.55, 5.1, 0.35],
             text=["C_{t\u22121}", "h_{t\u22121}", "C_t", "h_t", "x_t"], text_font_size="12px",
             text_color="#555555")
    fig.text([0.2], [8.75], text=[text(lang, "diagram.memory")], text_font_size="11px", text_color=COLOURS["c"])
    # numbers (dynamic): values next to valves and at the ends
    numbers = ColumnDataSource(name="diagram_numbers", data=dict(x=[], y=[], text=[], colour=[]))
    fig.text("x", "y", text="text", text_color="colour", source=numbers, text_font_size="12px",
             text_baseline="middle", **DYNAMIC)

    # the equations with this step's numbers: web/features/diagram.js writes them as text into
    # this empty plot's HTML overlay layer (text on a canvas cost BokehJS 2.3 ms a step; a Bokeh
    # Div re-laid out the whole page, 10-30 ms; a text node in a fixed-size box costs neither)
    eq_fig = figure(name="diagram_eq_fig", height=420, x_range=(0, 1),
                    sizing_mode="stretch_width", max_width=460,
                    y_range=(-13.5, 0.5), tools="", toolbar_location=None)
    eq_fig.axis.visible = False
    eq_fig.grid.visible = False
    eq_fig.outline_line_alpha = 0
    # the text's background, as the page's own equations block (style.css, .equations pre)
    eq_fig.quad(left=-0.02, right=1.02, bottom=-13.4, top=0.5, fill_color="#f6f8fb",
                line_color=None)
    box = column(fig, name="diagram_box", sizing_mode="stretch_width", max_width=760,
                 styles={"overflow-x": "auto", "overflow-y": "hidden"})
    return TabPanel(title=text(lang, "tab.diagram"), name="panel_diagram",
                    child=row(box, eq_fig, sizing_mode="stretch_width"))
