"""Gradient flow: for the current sentence, how much of the loss at the LAST step reaches back
to each earlier step, ||dL_T/dC_t|| for the LSTM's memory cell beside ||dL_T/dh_t|| for a plain
tanh RNN of the same size reading the same input vectors (pysim.rnn.compare), on a log scale.
web/features/gradflow.js computes it in the worker on each new trace while the tab is open."""
from __future__ import annotations

from bokeh.layouts import column, row
from bokeh.models import (Button, ColumnDataSource, Div, FixedTicker, HoverTool, Range1d,
                          TabPanel)
from bokeh.plotting import figure

CAPTION = (
    "How far back can the loss at the last word reach? Backprop through time carries the "
    "gradient of that loss, L_T, from the last step back to every earlier one. The blue curve is "
    "\u2016\u2202L_T/\u2202C_t\u2016 for this LSTM's memory cell (top layer): on its way back it is "
    "multiplied by the forget gates f_t, and where they stay near 1 it keeps its size. The orange "
    "curve is \u2016\u2202L_T/\u2202h_t\u2016 for a plain tanh RNN of the same size reading the "
    "same input vectors (random weights, PyTorch's initialisation, the same kind of softmax "
    "loss): every step back multiplies it by tanh\u2032 \u00b7 W, and it shrinks geometrically "
    "\u2014 the vanishing gradient. The y axis is logarithmic: equal distances are equal factors. "
    "Compare the slopes, not the heights: the height at the last word only says how sure each "
    "model is there (a trained LSTM that is sure has a tiny loss, so a tiny gradient). "
    "Both are computed exactly by pysim's backprop, for the model's own prediction at the last "
    "word, without any clamps.")


def panel() -> TabPanel:
    src = ColumnDataSource(name="gflow_src", data=dict(t=[], token=[], lstm=[], rnn=[]))
    fig = figure(name="gflow_fig", height=330, sizing_mode="stretch_width",
                 title="gradient of the last step's loss, by step: LSTM memory cell vs. plain RNN",
                 x_range=Range1d(-0.5, 4.5), y_range=Range1d(1e-3, 10, name="gflow_y"),
                 y_axis_type="log", x_axis_label="step t (token)",
                 y_axis_label="gradient norm (log scale)", tools="save",
                 toolbar_location="right")
    fig.toolbar.autohide = True
    fig.line("t", "lstm", source=src, color="#0072B2", line_width=2.5,
             legend_label="LSTM \u2016\u2202L_T/\u2202C_t\u2016")
    fig.scatter("t", "lstm", source=src, color="#0072B2", size=6)
    fig.line("t", "rnn", source=src, color="#E69F00", line_width=2.5, line_dash="dashed",
             legend_label="plain tanh RNN \u2016\u2202L_T/\u2202h_t\u2016")
    fig.scatter("t", "rnn", source=src, color="#E69F00", size=6, marker="triangle")
    fig.add_tools(HoverTool(tooltips=[("step", "@t"), ("token", "@token"),
                                      ("LSTM", "@lstm{0.000e}"), ("RNN", "@rnn{0.000e}")],
                            mode="vline"))
    fig.xaxis.ticker = FixedTicker(name="gflow_ticks", ticks=[])
    fig.xaxis[0].name = "gflow_xaxis"
    fig.xaxis.major_label_orientation = 0.7
    fig.legend.location = "top_left"
    fig.legend.label_text_font_size = "11px"
    fig.legend.background_fill_alpha = 0.8
    fig.title.text_font_size = "12px"
    fig.axis.axis_label_text_font_size = "10px"
    status = Div(name="gflow_status", render_as_text=True, sizing_mode="stretch_width",
                 text="Open this tab (or press Compute) to compute it for the current sentence.")
    compute = Button(name="gflow_compute", label="Compute", width=100)
    return TabPanel(title="Gradient flow", name="panel_gflow", child=column(
        Div(text=CAPTION, sizing_mode="stretch_width"),
        row(compute, status, sizing_mode="stretch_width"),
        fig, sizing_mode="stretch_width"))
