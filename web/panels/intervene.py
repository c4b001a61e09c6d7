"""Interventions: clamp a gate of one unit (or all) to a value over a range of steps, or silence
a unit, and compare the clamped run with the unclamped one. The clamps live in pysim (the
forward pass takes them); web/features/intervene.js sends them with every trace."""
from __future__ import annotations

from bokeh.layouts import column, row
from bokeh.models import (Button, ColorBar, ColumnDataSource, Div, FactorRange, HoverTool,
                          LinearColorMapper, PreText, Range1d, RangeSlider, Select, Slider,
                          TabPanel)
from bokeh.palettes import RdBu11
from bokeh.plotting import figure

from web.strings import DEFAULT_LANG, text

DIVERGING = list(reversed(RdBu11))


def _delta_figure(lang, key, source):
    title = text(lang, f"clamp.delta_{key}")
    mapper = LinearColorMapper(name=f"delta_{key}_cmap", palette=DIVERGING, low=-1, high=1)
    fig = figure(name=f"delta_{key}_fig", title=title, height=200, sizing_mode="stretch_width",
                 x_range=Range1d(-0.5, 4.5), y_range=Range1d(-0.5, 7.5), tools="save",
                 toolbar_location="right", x_axis_label=text(lang, "axis.step"),
                 y_axis_label=text(lang, "axis.unit"))
    fig.rect(x="t", y="unit", width=1, height=1, source=source, line_color=None,
             fill_color={"field": f"d{key}", "transform": mapper})
    fig.add_tools(HoverTool(tooltips=[(text(lang, "tip.step"), "@t"),
                                      (text(lang, "tip.token"), "@token"),
                                      (text(lang, "tip.unit"), "@unit"),
                                      (text(lang, "clamp.with"), f"@{key}{{0.000000}}"),
                                      (text(lang, "clamp.without"), f"@base_{key}{{0.000000}}"),
                                      (text(lang, "clamp.difference"), f"@d{key}{{0.000000}}")]))
    fig.add_layout(ColorBar(color_mapper=mapper, width=10, title=text(lang, "clamp.bar"),
                            title_text_font_size="9px", major_label_text_font_size="9px"), "right")
    fig.grid.visible = False
    fig.title.text_font_size = "12px"
    return fig


def panel(lang: str = DEFAULT_LANG) -> TabPanel:
    def say(key):
        return text(lang, key)
    gate = Select(name="clamp_gate", title=say("clamp.gate"), value="f", width=210, options=[
        (k, say(f"clamp.{k}")) for k in ("f", "i", "o", "zero")])
    value = Slider(name="clamp_value", title=say("clamp.value"), start=0, end=1, step=0.05, value=0,
                   width=170)
    unit = Select(name="clamp_unit", title=say("clamp.unit"), value="all",
                  options=[("all", say("clamp.all"))],
                  width=110)
    steps = RangeSlider(name="clamp_steps", title=say("clamp.steps"), start=0, end=4, value=(0, 4), step=1,
                        width=220)
    add = Button(name="clamp_add", label=say("clamp.add"), button_type="success", width=110)
    clear = Button(name="clamp_clear", label=say("clamp.clear"), width=130)
    listing = PreText(name="clamp_list", text=say("clamp.none_below"),
                      sizing_mode="stretch_width", height=60)
    cells = ColumnDataSource(name="clamp_cells", data=dict(
        t=[], unit=[], token=[], c=[], base_c=[], dc=[], h=[], base_h=[], dh=[]))
    preds = ColumnDataSource(name="clamp_preds", data=dict(t=[], run=[], tag=[], colour=[]))
    pred_fig = figure(name="clamp_pred_fig", title=say("clamp.pred_title"),
                      height=130, sizing_mode="stretch_width", x_range=Range1d(-0.5, 4.5),
                      y_range=FactorRange(factors=[say("clamp.with"), say("clamp.without")]), tools="save",
                      toolbar_location="right")
    pred_fig.rect(x="t", y="run", width=0.96, height=0.9, source=preds, fill_color="colour",
                  line_color="#cccccc")
    pred_fig.text(x="t", y="run", text="tag", source=preds, text_align="center",
                  text_baseline="middle", text_font_size="11px")
    pred_fig.grid.visible = False
    pred_fig.xaxis.visible = False
    pred_fig.title.text_font_size = "12px"
    note = Div(text=say("clamp.note"), sizing_mode="stretch_width")
    return TabPanel(title=say("tab.intervene"), name="panel_intervene", child=column(
        note,
        row(gate, value, unit, steps, add, clear, sizing_mode="stretch_width"),
        listing,
        row(_delta_figure(lang, "c", cells), _delta_figure(lang, "h", cells),
            sizing_mode="stretch_width"),
        pred_fig,
        sizing_mode="stretch_width"))
