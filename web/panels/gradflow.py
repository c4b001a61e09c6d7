"""Gradient flow: for the current sentence, how much of the loss at the LAST step reaches back
to each earlier step, ||dL_T/dC_t|| for the LSTM's memory cell beside ||dL_T/dh_t|| for a plain
tanh RNN of the same size reading the same input vectors (pysim.rnn.compare), on a log scale.
web/features/gradflow.js computes it in the worker on each new trace while the tab is open."""
from __future__ import annotations

from bokeh.layouts import column, row
from bokeh.models import (Button, ColumnDataSource, Div, FixedTicker, HoverTool, Range1d,
                          TabPanel)
from bokeh.plotting import figure

from web.strings import DEFAULT_LANG, text

def panel(lang: str = DEFAULT_LANG) -> TabPanel:
    def say(key):
        return text(lang, key)
    src = ColumnDataSource(name="gflow_src", data=dict(t=[], token=[], lstm=[], rnn=[]))
    fig = figure(name="gflow_fig", height=330, sizing_mode="stretch_width",
                 title=say("gflow.title"),
                 x_range=Range1d(-0.5, 4.5), y_range=Range1d(1e-3, 10, name="gflow_y"),
                 y_axis_type="log", x_axis_label=say("gflow.x_axis"),
                 y_axis_label=say("gflow.y_axis"), tools="save",
                 toolbar_location="right")
    fig.toolbar.autohide = True
    fig.line("t", "lstm", source=src, color="#0072B2", line_width=2.5,
             legend_label="LSTM \u2016\u2202L_T/\u2202C_t\u2016")
    fig.scatter("t", "lstm", source=src, color="#0072B2", size=6)
    fig.line("t", "rnn", source=src, color="#E69F00", line_width=2.5, line_dash="dashed",
             legend_label=say("gflow.rnn") + " \u2016\u2202L_T/\u2202h_t\u2016")
    fig.scatter("t", "rnn", source=src, color="#E69F00", size=6, marker="triangle")
    fig.add_tools(HoverTool(tooltips=[(say("tip.step"), "@t"), (say("tip.token"), "@token"),
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
                 text=say("gflow.prompt"))
    compute = Button(name="gflow_compute", label=say("gflow.compute"), width=100)
    return TabPanel(title=say("tab.gflow"), name="panel_gflow", child=column(
        Div(text=say("gflow.caption_html"), sizing_mode="stretch_width"),
        row(compute, status, sizing_mode="stretch_width"),
        fig, sizing_mode="stretch_width"))
