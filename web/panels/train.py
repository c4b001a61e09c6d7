"""Training in the browser: a preset task (beijing, memory) and/or sentences the user tags by
hand, Adam or SGD, live loss and accuracy curves. web/features/train.js drives pysim's trainer in
the worker in short chunks (Session.train_chunk), so the page stays responsive and Pause is
immediate; the model being trained is the page's current model, so the views above follow it."""
from __future__ import annotations

from bokeh.layouts import column, row
from bokeh.models import (Button, ColumnDataSource, Div, FixedTicker, HoverTool, Range1d, Select,
                          TabPanel, TextInput)
from bokeh.plotting import figure

from web.strings import DEFAULT_LANG, text
from web.constants import limits  # the learning rate shown first: the one train.js proposes

def _curve_fig(lang, name, title, y_label, y_log=False):
    fig = figure(name=name, title=title, height=230, sizing_mode="stretch_width",
                 x_range=Range1d(0, 10, name=f"{name}_x"),
                 y_range=Range1d(1e-3, 2, name=f"{name}_y") if y_log else Range1d(0, 1.02),
                 x_axis_label=text(lang, "train.x_axis"), y_axis_label=y_label,
                 tools="save,hover", toolbar_location="right",
                 y_axis_type="log" if y_log else "linear")
    fig.toolbar.autohide = True
    fig.title.text_font_size = "12px"
    fig.axis.axis_label_text_font_size = "10px"
    if y_log:  # whole decades only: over one or two decades BokehJS's log ticker labels 2..9 too
        fig.yaxis.ticker = FixedTicker(ticks=[10.0 ** k for k in range(-12, 6)],
                                       minor_ticks=[m * 10.0 ** k for k in range(-12, 6)
                                                    for m in range(2, 10)])
    return fig


def panel(lang: str = DEFAULT_LANG) -> TabPanel:
    def say(key):
        return text(lang, key)
    task = Select(name="train_task", title=say("train.task"), value="beijing", width=250,
                  options=[(k, say(f"train.task_{k}")) for k in ("beijing", "memory", "mine")])
    optimizer = Select(name="train_optimizer", title=say("train.optimizer"), value="adam",
                       width=100, options=[("adam", say("train.adam")), ("sgd", say("train.sgd"))])
    lr = TextInput(name="train_lr", title=say("train.lr"), value=limits()["default_lr"]["adam"], width=100)
    start = Button(name="train_start", label=say("train.start"), button_type="success",
                   width=140)
    pause = Button(name="train_pause", label=say("train.pause"), width=90, disabled=True)
    reset = Button(name="train_reset", label=say("train.reset"), width=140)
    download = Button(name="train_download", label=say("train.download"), width=220,
                      disabled=True)
    status = Div(name="train_status", render_as_text=True, sizing_mode="stretch_width",
                 text=say("train.not_started_long"))
    train_src = ColumnDataSource(name="train_curve", data=dict(step=[], loss=[], accuracy=[]))
    held_src = ColumnDataSource(name="train_heldout", data=dict(step=[], loss=[], accuracy=[]))
    loss = _curve_fig(lang, "train_loss_fig", say("train.loss_title"), say("train.loss"),
                      y_log=True)
    loss.line("step", "loss", source=train_src, color="#0072B2", line_width=2,
              legend_label=say("train.minibatches"))
    loss.line("step", "loss", source=held_src, color="#D55E00", line_width=2, line_dash="dashed",
              legend_label=say("train.held_out"))
    acc = _curve_fig(lang, "train_acc_fig", say("train.acc_title"), say("train.accuracy"))
    acc.line("step", "accuracy", source=train_src, color="#0072B2", line_width=2,
             legend_label=say("train.minibatches"))
    acc.line("step", "accuracy", source=held_src, color="#D55E00", line_width=2,
             line_dash="dashed", legend_label=say("train.held_out"))
    acc.scatter("step", "accuracy", source=held_src, color="#D55E00", size=4)
    for fig in (loss, acc):
        fig.legend.location = "top_right" if fig is loss else "bottom_right"
        fig.legend.label_text_font_size = "10px"
        fig.legend.background_fill_alpha = 0.7
        hover = fig.select_one(HoverTool)
        hover.tooltips = [(say("tip.step"), "@step"), (say("train.loss"), "@loss{0.0000}"),
                          (say("train.accuracy"), "@accuracy{0.0%}")]
    sentence = TextInput(name="train_sentence", title=say("train.sentence"),
                         placeholder="arrive Beijing/destination on November 2nd",
                         sizing_mode="stretch_width", min_width=300)
    add = Button(name="train_add", label=say("train.add"), width=160, button_type="primary")
    remove = Button(name="train_remove", label=say("train.remove"), width=110)
    clear = Button(name="train_clear", label=say("train.remove_all"), width=100)
    listing = Div(name="train_sentences", text=say("train.no_sentences"), render_as_text=True,
                  sizing_mode="stretch_width", styles={"white-space": "pre-wrap"})
    return TabPanel(title=say("tab.train"), name="panel_train", child=column(
        Div(text=say("train.caption_html"), sizing_mode="stretch_width"),
        row(task, optimizer, lr, column(Div(height=12), row(start, pause, reset, download)),
            sizing_mode="stretch_width"),
        status,
        row(loss, acc, sizing_mode="stretch_width"),
        Div(text=say("train.tagging_html"), sizing_mode="stretch_width"),
        row(sentence, column(Div(height=12), row(add, remove, clear)), sizing_mode="stretch_width"),
        listing,
        sizing_mode="stretch_width"))
