"""Contrast: two texts, one model; which units remember what tells them apart (pysim.contrast),
proof by patching their state from one run into the other, ablation (pysim.patching), and one
unit across a corpus of sentences (pysim.corpus). web/features/contrast.js fills it from the
worker (Session.contrast, flip, ablate, corpus, corpus_select); every view has a one-sentence
explanation (web/strings.py, contrast.*)."""
from __future__ import annotations

import contextvars

from bokeh.layouts import column, row
from bokeh.models import (Button, ColorBar, ColumnDataSource, Div, FactorRange, HoverTool,
                          LinearColorMapper, Range1d, Select, TabPanel, TapTool, TextAreaInput,
                          TextInput)
from bokeh.palettes import RdBu11
from bokeh.plotting import figure

from pysim.tasks import ARTICLE_SENTENCES
from web.constants import CONTRAST
from web.strings import text

DIVERGING = list(RdBu11)  # palette[0], dark blue, is the lowest value: blue < 0 < red
WRAP = {"flex-wrap": "wrap", "column-gap": "6px"}  # a row of controls wraps on a phone
_LANG = contextvars.ContextVar("contrast_panel_lang", default="en")  # the panel being built


def _t(key, **values):
    return text(_LANG.get(), key, **values)


def _explain(key):
    return Div(text=_t(key), sizing_mode="stretch_width", render_as_text=True)


def _small(fig):
    fig.title.text_font_size = "12px"
    fig.axis.axis_label_text_font_size = "10px"
    fig.toolbar.autohide = True
    return fig


def _contrast_views():
    lines_a = ColumnDataSource(name="contrast_lines_a", data=dict(xs=[], ys=[], colour=[], label=[]))
    lines_b = ColumnDataSource(name="contrast_lines_b", data=dict(xs=[], ys=[], colour=[], label=[]))
    c_fig = _small(figure(name="contrast_c_fig", title=_t("contrast.c_fig"), height=220,
                          sizing_mode="stretch_width", x_range=Range1d(-0.5, 4.5),
                          y_range=Range1d(-1, 1), x_axis_label="step t", y_axis_label="C_t",
                          tools="save", toolbar_location="right"))
    c_fig.multi_line("xs", "ys", source=lines_a, line_color="colour", line_width=2.5,
                     legend_field="label")
    c_fig.multi_line("xs", "ys", source=lines_b, line_color="colour", line_width=2.5,
                     line_dash="dashed")
    c_fig.add_tools(HoverTool(tooltips=[("", "@label")]))
    c_fig.legend.location = "top_left"
    c_fig.legend.label_text_font_size = "10px"
    c_fig.legend.background_fill_alpha = 0.7
    tags = ColumnDataSource(name="contrast_tags", data=dict(t=[], run=[], label=[], colour=[]))
    tags_fig = _small(figure(name="contrast_tags_fig", title=_t("contrast.tags_fig"), height=140,
                             sizing_mode="stretch_width", x_range=Range1d(-0.5, 4.5),
                             y_range=FactorRange(factors=["B", "A"]), tools="save",
                             toolbar_location="right"))
    tags_fig.rect(x="t", y="run", width=0.96, height=0.9, source=tags, fill_color="colour",
                  line_color=CONTRAST["frame"])
    tags_fig.text(x="t", y="run", text="label", source=tags, text_align="center",
                  text_baseline="middle", text_font_size="10px")
    tags_fig.grid.visible = False
    tags_fig.xaxis.visible = False
    return column(_explain("contrast.c_explain"), c_fig, _explain("contrast.tags_explain"),
                  tags_fig, sizing_mode="stretch_width")


def _patch_views():
    what = Select(name="contrast_what", title=_t("contrast.what"), value="c", width=170,
                  options=[("c", _t("contrast.what_c")), ("ch", _t("contrast.what_ch"))])
    step = Select(name="contrast_step", title=_t("contrast.step"), value="0", width=150,
                  options=[("0", "0")])
    flip = Button(name="contrast_flip", label=_t("contrast.flip"), button_type="success",
                  width=260)
    ablate = Button(name="contrast_ablate", label=_t("contrast.ablate"), width=200)
    result = Div(name="contrast_patch_result", text="", render_as_text=True,
                 sizing_mode="stretch_width")
    probs = ColumnDataSource(name="contrast_probs", data=dict(bar=[], p=[], colour=[]))
    prob_fig = _small(figure(name="contrast_prob_fig", title=_t("contrast.prob_fig"), height=180,
                             sizing_mode="stretch_width", x_range=FactorRange(factors=["-"]),
                             y_range=Range1d(0, 1.02), y_axis_label=_t("probs.bar"),
                             tools="save", toolbar_location="right"))
    prob_fig.vbar(x="bar", top="p", width=0.7, source=probs, fill_color="colour",
                  line_color=None)
    prob_fig.add_tools(HoverTool(tooltips=[("", "@bar"), ("p", "@p{0.0000}")]))
    prob_fig.xgrid.visible = False
    return column(_explain("contrast.patch_explain"),
                  row(what, step, flip, ablate, sizing_mode="stretch_width",
                      styles=WRAP),
                  result, _explain("contrast.prob_explain"), prob_fig,
                  sizing_mode="stretch_width")


def _corpus_views():
    source = Select(name="contrast_source", title=_t("contrast.source"), value="held-out",
                    width=200, options=[("held-out", _t("contrast.src_held")),
                                        ("examples", _t("contrast.src_examples")),
                                        ("lines", _t("contrast.src_lines"))])
    quantity = Select(name="contrast_quantity", title=_t("contrast.colour_by"), value="c",
                      width=150, options=[("c", "C_t"), ("h", "h_t")])
    unit = Select(name="contrast_unit", title=_t("contrast.unit"), value="0:0", width=150,
                  options=[("0:0", _t("contrast.unit_label", layer=0, unit=0))])
    show = Button(name="contrast_show", label=_t("contrast.show"), width=90)
    find = Button(name="contrast_find", label=_t("contrast.find"), button_type="primary",
                  width=110)
    lines = TextAreaInput(name="contrast_lines", title=_t("contrast.lines"), rows=3,
                          sizing_mode="stretch_width",
                          value="\n".join(ARTICLE_SENTENCES))
    status = Div(name="contrast_corpus_status", text="", render_as_text=True,
                 sizing_mode="stretch_width")
    words = ColumnDataSource(name="contrast_words", data=dict(
        x=[], y=[], w=[], word=[], v=[], sentence=[], step=[], edge=[]))
    mapper = LinearColorMapper(name="contrast_cmap", palette=DIVERGING, low=-1, high=1)
    fig = _small(figure(name="contrast_corpus_fig", title=_t("contrast.corpus_fig"), height=420,
                        sizing_mode="stretch_width", x_range=Range1d(0, 60),
                        y_range=Range1d(20.5, -0.5), tools="xpan,reset,save",
                        toolbar_location="right"))
    words_r = fig.rect(x="x", y="y", width="w", height=0.9, source=words,
                       fill_color={"field": "v", "transform": mapper}, fill_alpha=0.75,
                       line_color="edge",
                       line_width=2, selection_line_color=CONTRAST["match"], selection_line_width=3,
                       nonselection_fill_alpha=0.75, nonselection_line_alpha=1.0)
    fig.text(x="x", y="y", text="word", source=words, text_align="center",
             text_baseline="middle", text_font_size="10px", nonselection_text_alpha=1.0)
    fig.add_tools(TapTool(renderers=[words_r], mode="toggle"))
    fig.add_tools(HoverTool(renderers=[words_r], tooltips=[("", "@word"), ("value", "@v{0.000}"),
                                                           ("step", "@step")]))
    fig.add_layout(ColorBar(color_mapper=mapper, width=10, major_label_text_font_size="9px"),
                   "right")
    fig.grid.visible = False
    fig.axis.visible = False
    found = Div(name="contrast_found", text="", render_as_text=True, sizing_mode="stretch_width")
    return column(_explain("contrast.corpus_explain"),
                  row(source, quantity, unit, show, find, sizing_mode="stretch_width",
                      styles=WRAP),
                  lines, status, fig, found, sizing_mode="stretch_width")


def panel(lang: str = "en") -> TabPanel:
    """The tab in `lang` (web/strings.py)."""
    token = _LANG.set(lang)
    try:
        return _panel()
    finally:
        _LANG.reset(token)


def _panel() -> TabPanel:
    a = TextInput(name="contrast_a", title=_t("contrast.text_a"), value=ARTICLE_SENTENCES[0],
                  sizing_mode="stretch_width")
    b = TextInput(name="contrast_b", title=_t("contrast.text_b"), value=ARTICLE_SENTENCES[1],
                  sizing_mode="stretch_width")
    run = Button(name="contrast_run", label=_t("contrast.run"), button_type="success", width=110)
    units = Div(name="contrast_units", text="", render_as_text=True, sizing_mode="stretch_width")
    return TabPanel(title=_t("tab.contrast"), name="panel_contrast", child=column(
        _explain("contrast.note"),
        row(a, b, sizing_mode="stretch_width"), run, units,
        _contrast_views(), _patch_views(), _corpus_views(),
        sizing_mode="stretch_width"))
