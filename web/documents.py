"""The page's Bokeh documents as JSON, for app.js (`Bokeh` embeds them: web/pieces.js): the views
and their controls (web/page.py build_layout) and the feature tabs (build_panels), each made ready
for the page (PNG file names, web/a11y.py, web/theme.py), serialized with `json_item`, and their
variants (dark theme, Chinese) as patches of the base (web/variants.py). build.py writes them
into index.html.
"""
from __future__ import annotations

import json

from bokeh.embed import json_item
from bokeh.models import HoverTool

from web import theme, variants
from web.a11y import prepare as prepare_a11y
from web.page import build_layout, build_panels
from web.strings import DEFAULT_LANG, text


def name_png_files(layout, lang=DEFAULT_LANG) -> None:
    """Every save tool gets a file name (pysim-<figure>.png): without one BokehJS asks for it in a
    prompt() dialog before saving the PNG. Save and hover tools get their toolbar button's tooltip
    in `lang` (BokehJS's own is English)."""
    from bokeh.models import Plot, SaveTool
    for fig in layout.select({"type": Plot}):
        stem = (fig.name or "plot").replace("fig_", "").replace("_fig", "")
        for tool in fig.toolbar.tools:
            if isinstance(tool, SaveTool) and tool.filename is None:
                tool.filename = f"pysim-{stem}"
            if isinstance(tool, (SaveTool, HoverTool)) and tool.description is None:
                tool.description = text(lang, "tool.save" if isinstance(tool, SaveTool)
                                        else "tool.hover")


def page_item(presets, default_preset, default_text, article, options=None) -> dict:
    """The Bokeh documents as JSON (`json_item`), for `Bokeh.embed.embed_item` in app.js:
    {"main": the views and their controls, "panels": the feature tabs}. `options`: the variant
    being built (web/variants.py), e.g. {"theme": "dark"} or {"lang": "zh"}; none: the base
    (light, English)."""
    options = options or {}
    lang = options.get("lang", DEFAULT_LANG)
    items = {}
    for key, layout, target in (
            ("main", build_layout(presets, default_preset, default_text, article, lang),
             "pysim-root"),
            ("panels", build_panels(lang), "pysim-panels")):
        name_png_files(layout, lang)
        prepare_a11y(layout)
        theme.style(layout, options.get("theme", "light"))  # after: its sheet comes last
        items[key] = _sorted_maps(json_item(layout, target=target))
    return items


# the variants of the documents, shipped as patches of the base (web/variants.py, boot["variants"])
VARIANTS = {"theme": ["dark"], "lang": ["zh"]}


def page_items(presets, default_preset, default_text, article) -> tuple[dict, dict]:
    """The base documents (page_item) and the patches that make each variant of them:
    ({"main": json_item, "panels": json_item}, {"theme:dark": {"main": patch, ...}})."""
    return variants.build(
        lambda options: page_item(presets, default_preset, default_text, article, options),
        VARIANTS)


def _sorted_maps(obj):
    """Sort the entries of serialized maps (e.g. glyph data built from sets): the same page gives
    the same bytes, whatever the interpreter's hash seed."""
    if isinstance(obj, dict):
        out = {k: _sorted_maps(v) for k, v in obj.items()}
        if out.get("type") == "map" and isinstance(out.get("entries"), list):
            out["entries"] = sorted(out["entries"], key=lambda kv: json.dumps(kv[0]))
        return out
    if isinstance(obj, list):
        return [_sorted_maps(v) for v in obj]
    return obj
