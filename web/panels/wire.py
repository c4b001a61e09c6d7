"""Wire an LSTM by hand: a tiny cell (pysim/handwired.py) whose input vectors are typed and whose
every weight and bias is a control; web/features/wire.js retraces it in the worker on any change.

The controls are laid out for the largest cell (MAX_UNITS units, MAX_INPUTS inputs): a grid whose
rows are the gates' units (W_f, W_i, W_C, W_o; unit 1, 2) and whose columns are [h_{t-1} | x_t | b];
wire.js shows the ones the current cell has. Named models:

    wire_inputs (TextInput), wire_units (Select), wire_preset / wire_zero (Button), wire_msg (Div)
    wire_w_<gate><unit>_<col> (Spinner): W_<gate>[unit][col], gate in f i C o, col 0.. of the
        grid (< MAX_UNITS: h_{t-1} of that unit; then x_1 ..; the last: the bias b_<gate>[unit])
    wire_head_<col>, wire_label_<gate><unit> (Div): the grid's column and row headings;
    wire_row_<gate><unit> (Row): a gate's unit (hidden: a unit the cell lacks)
    wire_steps (ColumnDataSource): t, x (the vector as text), f0 i0 g0 c0 o0 h0, f1 .. h1
    wire_fig (figure over wire_steps), wire_table (Div: the same values as a table, by wire.js)

Everything starts as the preset, traced natively here: the tab is right before Python is ready.
"""
from __future__ import annotations

import numpy as np
from bokeh.layouts import column, row
from bokeh.models import (BasicTicker, Button, ColumnDataSource, DataRange1d, Div,
                          InlineStyleSheet, Range1d, Select, Spinner, TabPanel, TextInput)
from bokeh.plotting import figure

from pysim import handwired as hw
from web.constants import COLOURS
from web.strings import text

QUANTITIES = ("f", "i", "g", "c", "o", "h")  # the plot's and the table's rows, per unit
COLS = hw.MAX_UNITS + hw.MAX_INPUTS + 1      # [h_{t-1} per unit | x_1 .. | b]
TABLE_CSS = """
:host { overflow-x: auto; max-width: 100%; contain: inline-size; }  /* scrolls, never widens the page */
table { border-collapse: collapse; font: 12px/1.3 ui-monospace, SFMono-Regular, Menlo, monospace;
        color: var(--ink, #333); }
th, td { padding: 2px 6px; text-align: right; border-bottom: 1px solid var(--line, #ddd);
         white-space: nowrap; }
th { font-weight: 600; }
th.q { text-align: left; }
td.x { color: var(--muted, #666); }
"""


# "-10" fits in 58 px; on a touch screen or a phone the arrows (22 px, under the 44-px tap size)
# go: the number is typed (the keyboard's arrow keys still step it)
SPINNER_CSS = """.bk-input { padding: 0 3px; }
@media (pointer: coarse), (max-width: 640px) { .bk-spin-btn { display: none !important; } }"""


def column_label(j: int) -> str:
    if j < hw.MAX_UNITS:
        return f"h{j + 1}"
    return f"x{j - hw.MAX_UNITS + 1}" if j < COLS - 1 else "b"


def steps_data(result: dict) -> dict:
    """wire_steps' columns from handwired.wire's result (units the cell lacks: NaN)."""
    T, H = result["T"], result["H"]
    data = {"t": list(range(T)), "x": hw.format_inputs(result["x"]).split(" ")}
    for u in range(hw.MAX_UNITS):
        for k in QUANTITIES:
            data[f"{k}{u}"] = result[k][:, u].tolist() if u < H else [np.nan] * T
    return data


# ---- widgets --------------------------------------------------------------------------------
def _grid(H: int, D: int):
    """The weight controls: a heading row, then one row per gate and unit (rows of fixed-width
    items, so the columns line up and a hidden one takes no room)."""
    sheet = InlineStyleSheet(css=SPINNER_CSS)  # one per document (a model has one owner)
    label_width, width, margin = 32, 58, (2, 2, 2, 2)  # 1 unit, 3 inputs: 354 px wide
    heads = [Div(width=label_width, margin=margin)]
    for j in range(COLS):
        shown = j < H or hw.MAX_UNITS <= j < hw.MAX_UNITS + D or j == COLS - 1
        heads.append(Div(name=f"wire_head_{j}", text=column_label(j), visible=shown, width=width,
                         margin=margin, styles={"text-align": "center", "font-weight": "600"}))
    rows = [row(*heads, spacing=2)]
    for gate in hw.GATES:
        for u in range(hw.MAX_UNITS):
            W, b = hw.PRESET[f"W_{gate}"], hw.PRESET[f"b_{gate}"]
            items = [Div(name=f"wire_label_{gate}{u}", text=f"W_{gate}", width=label_width,
                         margin=margin, styles={"padding-top": "6px"})]
            for j in range(COLS):
                if j < hw.MAX_UNITS:
                    col, shown = j, j < H
                elif j < COLS - 1:
                    col, shown = H + j - hw.MAX_UNITS, j - hw.MAX_UNITS < D
                else:
                    col, shown = None, True
                value = 0.0
                if u < H and shown:
                    value = float(b[u] if col is None else W[u][col])
                # its accessible name (web/features/a11y.js reads tags[0]): the weight's symbol
                name = f"b_{gate}[{u + 1}]" if col is None else f"W_{gate}[{u + 1}, {column_label(j)}]"
                items.append(Spinner(name=f"wire_w_{gate}{u}_{j}", value=value, step=0.1,
                                     width=width, margin=margin, visible=shown,
                                     stylesheets=[sheet], tags=[name]))
            rows.append(row(*items, spacing=2, visible=u < H, name=f"wire_row_{gate}{u}"))
    # wider than a phone (2 units, 4 inputs): the grid scrolls sideways in its own box
    return column(*rows, spacing=0, sizing_mode="stretch_width", styles={"overflow-x": "auto", "contain": "inline-size"})


# ---- the plot -------------------------------------------------------------------------------
def _figure(lang: str, source: ColumnDataSource, T: int):
    fig = figure(name="wire_fig", title=text(lang, "wire.plot"), height=260,
                 sizing_mode="stretch_width", x_range=Range1d(-0.3, T - 0.7),
                 y_range=DataRange1d(), tools="save", toolbar_location="right",
                 x_axis_label=text(lang, "wire.step"))
    labels = {"f": "f", "i": "i", "g": "C\u0303", "c": "C", "o": "o", "h": "h"}
    for u, dash in enumerate(("solid", "dashed")[:hw.MAX_UNITS]):
        for k in QUANTITIES:
            kw = dict(source=source, color=COLOURS[k], name=f"wire_{k}{u}")
            if u == 0:
                kw["legend_label"] = labels[k]
            fig.line(x="t", y=f"{k}{u}", line_width=2, line_dash=dash, **kw)
            fig.scatter(x="t", y=f"{k}{u}", size=5, **kw)
    fig.legend.orientation = "horizontal"
    fig.legend.ncols = 4  # two lines of labels: they fit a 320-px phone (as the unit plot's)
    fig.legend.click_policy = "hide"
    fig.legend.label_text_font_size = "11px"
    fig.add_layout(fig.legend[0], "above")
    fig.xaxis.ticker = BasicTicker(min_interval=1, num_minor_ticks=0)
    fig.title.text_font_size = "12px"
    return fig


# ---- layout ---------------------------------------------------------------------------------
def panel(lang: str = "en") -> TabPanel:
    """The tab in `lang` (web/strings.py; wire.js also sets its words in the reader's language)."""
    x = hw.parse_inputs(hw.PRESET_INPUTS)
    result = hw.wire(hw.PRESET, hw.PRESET_INPUTS)                 # native: right from first paint
    H, D = result["H"], result["D"]
    source = ColumnDataSource(name="wire_steps", data=steps_data(result))
    inputs = TextInput(name="wire_inputs", title=text(lang, "wire.inputs"),
                       value=hw.PRESET_INPUTS, sizing_mode="stretch_width", min_width=200)
    units = Select(name="wire_units", title=text(lang, "wire.units"), value=str(H), width=110,
                   options=[(str(n), text(lang, "wire.units_n", n=n))
                            for n in range(1, hw.MAX_UNITS + 1)])
    preset = Button(name="wire_preset", label=text(lang, "wire.preset"), width=150,
                    button_type="success")
    zero = Button(name="wire_zero", label=text(lang, "wire.zero"), width=120)
    msg = Div(name="wire_msg", text="", render_as_text=True, sizing_mode="stretch_width", visible=False,
              styles={"color": "var(--accent, #b35806)"})
    table = Div(name="wire_table", text="", sizing_mode="stretch_width",
                stylesheets=[InlineStyleSheet(css=TABLE_CSS)])
    return TabPanel(title=text(lang, "tab.wire"), name="panel_wire", child=column(
        Div(name="wire_note", text=text(lang, "wire.note"), sizing_mode="stretch_width"),
        Div(name="wire_lecture", text=text(lang, "wire.lecture"), sizing_mode="stretch_width",
            styles={"color": "var(--muted, #555)"}),
        row(inputs, units, sizing_mode="stretch_width"),
        row(preset, zero),
        msg,
        Div(name="wire_weights", text=text(lang, "wire.weights"), sizing_mode="stretch_width"),
        _grid(H, D),
        table,
        _figure(lang, source, len(x)),
        sizing_mode="stretch_width"))
