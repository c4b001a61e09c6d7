"""The page layout, authored with Python bokeh at build time and drawn by BokehJS in the browser.

Sources start empty: web/views.js fills them from a trace (the prerendered one first, then the
worker's). Every model that the page's modules touch has a `name`. The feature panels (cell diagram,
interventions, training, ...) live in web/panels/, one module each, shown as tabs below the views.
No CustomJS anywhere: events are wired in web/widgets.js and web/features/ (strict CSP).
"""
from __future__ import annotations

from bokeh.layouts import column, row
from bokeh.models import (Button, ColorBar, ColumnDataSource, Div, FixedTicker,
                          HoverTool, LinearColorMapper, Range1d, Select, Slider, Span, TextInput,
                          Toggle)
from bokeh.models import Tabs
from bokeh.plotting import figure

from web.constants import COLOURS, PALETTES
from web.panels import PANELS
from web.strings import DEFAULT_LANG, text
from web.responsive import reflow

# ---- data -----------------------------------------------------------------------------------
# (field, colour range kind): the six heatmaps, time x unit; titles: web/strings.py heat.<field>
HEATMAPS = [("f", "gate"), ("i", "gate"), ("o", "gate"), ("g", "signed"), ("c", "cell"),
            ("h", "signed")]
# the colour scales (web/constants.py PALETTES: light here; web/theme.py gives the dark build
# their dark twins). Diverging: RdBu, readable with red-green colour blindness
GATES, DIVERGING, PROBS = (PALETTES["light"][k] for k in ("gate", "signed", "probs"))
# the unit plot's lines (labels: web/strings.py legend.<key>), in the colours the cell diagram
# gives the same quantities
UNIT_LINES = [(k, COLOURS[k]) for k in ("f", "i", "o", "c", "h")]

# The step cursor (the frame around step t, the curtain over the steps not read yet) is not drawn
# here: web/cursor.js lays HTML boxes over the plots, so a step repaints no canvas.
# Everything drawn from a trace is at level "overlay": BokehJS keeps each plot's overlay layer on
# a canvas of its own and, when only those renderers changed, repaints just that canvas; axes,
# colour bars and titles (the costly part: ~8 ms a plot) stay painted while the ranges stay.
DATA = dict(level="overlay")


def _empty_sources():
    # the six heatmaps are images, one per field: (H, T), row = unit, column = step. t, unit and
    # token are (H, T) nested lists for the hover (BokehJS reads them at the hovered pixel)
    cells = ColumnDataSource(name="cells", data=dict(x=[], y=[], dw=[], dh=[], t=[], unit=[],
                                                     token=[], **{k: [] for k, _ in HEATMAPS}))
    tokens = ColumnDataSource(name="tokens", data=dict(
        t=[], token=[], note=[], tag=[], p=[], colour=[]))  # one row per step
    # the words printed in the strip: empty for long texts (they would not fit; hover shows them)
    tok_labels = ColumnDataSource(name="tok_labels", data=dict(t=[], token=[], note=[],
                                                               tag_main=[], tag_o=[]))
    unit_lines = ColumnDataSource(name="unit_lines", data=dict(
        t=[], token=[], **{k: [] for k, _ in UNIT_LINES}))
    # tag probabilities: one image (K, T), the first tag on the top row; labels for short texts
    probs = ColumnDataSource(name="probs", data=dict(x=[], y=[], dw=[], dh=[], p=[], t=[],
                                                     tag=[], token=[]))
    prob_labels = ColumnDataSource(name="prob_labels", data=dict(t=[], y=[], label_light=[],
                                                                 label_dark=[]))
    return cells, tokens, tok_labels, unit_lines, probs, prob_labels


def _x_range():
    return Range1d(-0.5, 4.5)


# ---- plots ----------------------------------------------------------------------------------
def _mappers(palette, low, high, name=None):
    """Two equal colour mappers: one for the image, one for its colour bar. A mapper that maps new
    data tells its colour bar (metrics_change), which then re-lays out and repaints the whole plot;
    the bar's own mapper never sees data, so a retrace repaints only the image's layer."""
    return (LinearColorMapper(name=name, palette=palette, low=low, high=high),
            LinearColorMapper(name=name and f"{name}_bar", palette=palette, low=low, high=high))


def _tips(lang, *keys):
    """Hover rows: the fields "step", "token", "unit", "tag", "predicted" in `lang` (web/strings.py
    tip.<key>)."""
    return [(text(lang, f"tip.{k}"), v) for k, v in keys]


def _heatmap(lang, key, kind, cells, x_range):
    title = text(lang, f"heat.{key}")
    if kind == "gate":
        mapper, bar_mapper = _mappers(GATES, 0, 1)
        bar_title = text(lang, "heat.gate_bar")
    elif kind == "signed":
        mapper, bar_mapper = _mappers(DIVERGING, -1, 1)
        bar_title = "\u22121 \u2026 0 \u2026 +1"
    else:  # the cell is unbounded: symmetric around 0, range set per trace by web/views.js
        mapper, bar_mapper = _mappers(DIVERGING, -1, 1, name="cmap_c")
        bar_title = text(lang, "heat.cell_bar")
    fig = figure(name=f"fig_{key}", title=title, height=190, sizing_mode="stretch_width",
                 x_range=x_range, y_range=Range1d(-0.5, 7.5), toolbar_location="right",
                 tools="save", x_axis_label=text(lang, "axis.step"),
                 y_axis_label=text(lang, "axis.unit"))
    fig.toolbar.autohide = True  # the save tool (PNG) shows when the mouse is over the plot
    image = fig.image(image=key, x="x", y="y", dw="dw", dh="dh", source=cells,
                      color_mapper=mapper, **DATA)
    fig.add_tools(HoverTool(renderers=[image], tooltips=_tips(
        lang, ("step", "@t"), ("token", "@token"), ("unit", "@unit")) + [
        (key if key != "g" else "C\u0303", f"@{key}{{0.000000}}")]))
    fig.yaxis[0].ticker.min_interval = 1  # units too
    fig.add_layout(ColorBar(color_mapper=bar_mapper, width=10, title=bar_title,
                            title_text_font_size="9px", major_label_text_font_size="9px"),
                   "right")
    _style(fig)
    return fig


def _token_strip(lang, tokens, tok_labels, x_range):
    fig = figure(name="tok_fig", height=110, sizing_mode="stretch_width", x_range=x_range,
                 y_range=Range1d(-1.6, 0.6), toolbar_location="right", tools="save",
                 title=text(lang, "view.tokens"))
    fig.toolbar.autohide = True
    boxes = fig.rect(x="t", y=0, width=0.94, height=0.9, source=tokens, fill_color="colour",
                     line_color="#999999", **DATA)
    words = dict(source=tok_labels, text_align="center", text_baseline="middle", **DATA)
    fig.text(x="t", y=0, text="token", text_font_size="13px", **words)
    fig.text(x="t", y=-0.75, text="note", text_font_size="10px", text_color="#b2182b", **words)
    # the predicted tag; "O" (the first tag: nothing) in grey. Two fixed-colour renderers, not a
    # colour column: BokehJS 3.10 fails on per-item text colours when the row count shrinks
    fig.text(x="t", y=-1.25, text="tag_main", text_font_size="11px", text_color="#0b3d91",
             text_font_style="bold", **words)
    fig.text(x="t", y=-1.25, text="tag_o", text_font_size="11px", text_color="#8a93a3", **words)
    step, token, predicted = _tips(lang, ("step", "@t"), ("token", "@token"),
                                   ("predicted", "@tag (@p{0.000})"))
    fig.add_tools(HoverTool(renderers=[boxes], tooltips=[step, token, ("", "@note"), predicted]))
    _style(fig)
    fig.yaxis.visible = False
    fig.xaxis.visible = False
    return fig


def _unit_lines(lang, unit_lines, x_range):
    fig = figure(name="unit_fig", title=text(lang, "view.unit_title", u=0), height=260,
                 sizing_mode="stretch_width", x_range=x_range, y_range=Range1d(-1.05, 1.05),
                 toolbar_location="right", tools="save", x_axis_label=text(lang, "axis.step"))
    for key, colour in UNIT_LINES:
        fig.line("t", key, source=unit_lines, color=colour, line_width=2,
                 legend_label=text(lang, f"legend.{key}"), **DATA)
        fig.scatter("t", key, source=unit_lines, color=colour, size=5, name="unit_dots", **DATA)
    fig.add_tools(HoverTool(tooltips=_tips(lang, ("step", "@t"), ("token", "@token")) + [
        (k, f"@{k}{{0.000000}}") for k, _ in UNIT_LINES], mode="vline"))
    fig.add_layout(Span(location=0, dimension="width", line_color="#888888", line_dash="dotted"))
    legend = fig.legend[0]
    legend.level = "overlay"  # it repaints with its lines (on the primary layer: the whole plot)
    legend.orientation = "horizontal"
    legend.ncols = 3  # two lines of labels: fits a 300-px phone plot (web/responsive.py)
    legend.label_text_font_size = "10px"
    legend.border_line_alpha = 0
    legend.location = "top_left"  # under the title, and no taller than one line of labels
    legend.margin, legend.padding, legend.glyph_height = 0, 2, 12
    fig.add_layout(legend, "above")
    _style(fig)
    return fig


def _probs(lang, probs, prob_labels, x_range):
    mapper, bar_mapper = _mappers(PROBS, 0, 1)
    fig = figure(name="probs_fig", title=text(lang, "probs.title"),
                 height=260, sizing_mode="stretch_width", x_range=x_range,
                 y_range=Range1d(-0.5, 0.5), toolbar_location="right", tools="save",
                 x_axis_label=text(lang, "axis.step"))
    image = fig.image(image="p", x="x", y="y", dw="dw", dh="dh", source=probs,
                      color_mapper=mapper, **DATA)
    for field, colour in (("label_light", "#ffffff"), ("label_dark", "#1d2330")):  # on dark / light
        fig.text(x="t", y="y", text=field, source=prob_labels, text_align="center",
                 text_baseline="middle", text_font_size="10px", text_color=colour, **DATA)
    # one tick per tag, named by web/views.js (row K-1-k is tag k)
    fig.yaxis.ticker = FixedTicker(name="probs_ticks", ticks=[0])
    fig.yaxis.name = "probs_axis"
    fig.add_tools(HoverTool(renderers=[image], tooltips=_tips(
        lang, ("step", "@t"), ("token", "@token"), ("tag", "@tag")) + [("p", "@p{0.000000}")]))
    fig.add_layout(ColorBar(color_mapper=bar_mapper, width=10, title=text(lang, "probs.bar"),
                            title_text_font_size="9px", major_label_text_font_size="9px"),
                   "right")
    _style(fig)
    return fig


def _style(fig):
    fig.title.text_font_size = "12px"
    fig.grid.visible = False
    fig.outline_line_color = "#cccccc"
    fig.min_border_left = 50
    fig.axis.axis_label_text_font_size = "10px"
    fig.axis.major_label_text_font_size = "10px"
    # steps are whole numbers: no 0.2-step ticks when a text is one or two words long
    fig.xaxis[0].ticker.min_interval = 1


# ---- widgets --------------------------------------------------------------------------------
def _widgets(lang, presets, default_preset, default_text, article):
    def say(key):
        return text(lang, key)
    w = dict(
        preset=Select(name="preset", title=say("widget.model"), value=default_preset,
                      options=list(presets), width=150),
        text=TextInput(name="text", title=say("widget.sentence"),
                       value=default_text, sizing_mode="stretch_width", min_width=300),
        article_0=Button(name="article_0", label=article[0], width=230),
        article_1=Button(name="article_1", label=article[1], width=230),
        share=Button(name="share", label=say("widget.share"), width=210),
        reset=Button(name="reset", label=say("widget.start"), width=80),
        back=Button(name="back", label=say("widget.back"), width=80),
        play=Toggle(name="play", label=say("widget.play"), width=90, button_type="primary"),
        forward=Button(name="forward", label=say("widget.forward"), width=80),
        scrub=Slider(name="scrub", title=say("widget.scrub"), start=0, end=4, value=0, step=1,
                     sizing_mode="stretch_width", min_width=200),
        speed=Slider(name="speed", title=say("widget.speed"), start=0.5, end=20,
                     value=2, step=0.5, width=170),
        unit=Select(name="unit", title=say("widget.unit"), value="0", options=["0"], width=80),
        layer=Select(name="layer", title=say("widget.layer"), value="0", options=["0"], width=80),
    )
    return w


# ---- layout ---------------------------------------------------------------------------------
def build_layout(presets, default_preset, default_text, article, lang=DEFAULT_LANG):
    cells, tokens, tok_labels, unit_lines, probs, prob_labels = _empty_sources()
    x_range = _x_range()
    heat = {k: _heatmap(lang, k, kind, cells, x_range) for k, kind in HEATMAPS}
    w = _widgets(lang, presets, default_preset, default_text, article)
    # the rows are named: an embed's &views= hides those it leaves out (web/embeds.py VIEWS)
    layout = column(
        row(w["preset"], w["text"], sizing_mode="stretch_width", name="row_text"),
        row(Div(name="article_label", text=text(lang, "widget.article"),
                styles={"padding-top": "6px"}),
            w["article_0"], w["article_1"], Div(name="article_gap", width=20), w["share"],
            name="row_article"),
        row(w["reset"], w["back"], w["play"], w["forward"], w["scrub"], Div(width=12), w["speed"],
            w["unit"], w["layer"], sizing_mode="stretch_width", name="row_steps"),
        _token_strip(lang, tokens, tok_labels, x_range),
        # one wrapping row of six: three a line, then two, then one (web/responsive.py)
        row(*heat.values(), sizing_mode="stretch_width", name="heatmaps"),
        row(_unit_lines(lang, unit_lines, x_range), _probs(lang, probs, prob_labels, x_range),
            sizing_mode="stretch_width", name="row_lines"),
        sizing_mode="stretch_width", name="pysim_root",
    )
    return reflow(layout)


def build_panels(lang=DEFAULT_LANG):
    """The feature panels as tabs (web/panels/): a document of their own, embedded by app.js once
    the main views are on screen (building them first cost the first paint ~0.5 s)."""
    return reflow(Tabs(name="panels", tabs=[make(lang) for make in PANELS],
                       sizing_mode="stretch_width"))


def preview_boot() -> dict:
    """What web/features/preview.js needs to draw the prerendered heatmaps as BokehJS will:
    their fields and kinds (titles: web/strings.py heat.<field>), palettes per theme and colour
    ranges (the cell's range follows the trace)."""
    return {"heatmaps": HEATMAPS,
            "palettes": {theme: {"gate": p["gate"], "signed": p["signed"], "cell": p["signed"]}
                         for theme, p in PALETTES.items()},
            "ranges": {"gate": [0, 1], "signed": [-1, 1], "cell": [-1, 1]}}
