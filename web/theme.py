"""The dark theme of the page's Bokeh documents, made from the light one at build time.

web/documents.py builds the documents twice (web/variants.py): as they are (light) and with
`style(layout, "dark")`, and ships the difference as the "theme:dark" patch. `style` is called on
every build, light too, so that both have the same structure:

- every UIElement (plots, widgets, layouts, toolbars) gets one shared InlineStyleSheet: empty in
  light, in dark the CSS variables of BokehJS's widgets (colours of inputs, buttons, tabs,
  sliders, toolbars, tooltips) set from web/constants.py THEMES["dark"];
- dark only: every colour of every model that is one of the light document's neutral colours
  (constants.RECOLOUR, bokeh's defaults included: a plot's white background, its black axes)
  becomes that THEMES key's dark colour; the quantities' colours (constants.COLOURS) become
  their dark twins (COLOURS_DARK); the heatmaps' palettes (constants.PALETTES) theirs.

So a panel added later needs nothing to be dark as long as it draws with bokeh's defaults, the
shared colours of web/constants.py or the light neutrals listed in RECOLOUR (tests/web/
test_theme_build.py checks that no light colour is left in the dark documents).
"""
from __future__ import annotations

from bokeh.models import ColumnDataSource, InlineStyleSheet, Model, UIElement
from bokeh.models.mappers import ColorMapper

from web.constants import COLOURS, COLOURS_DARK, PALETTES, RECOLOUR, THEMES

THEME_NAMES = ("light", "dark")


def widget_css(theme: str) -> str:
    """The stylesheet every Bokeh element carries in `theme`: BokehJS's own CSS variables."""
    if theme == "light":
        return ""
    c = THEMES[theme]
    return (
        f":host{{--color:{c['ink']};--background-color:{c['bg']};--hover-color:{c['panel']};"
        f"--border-color:{c['rule']};--divider-color:{c['line']};--disabled-color:{c['muted']};"
        f"--surface-background-color:{c['panel']};--disabled-background-color:{c['panel']};"
        f"--inactive-bg:{c['panel']};--inactive-fg:{c['muted']};--active-bg:{c['token']};"
        f"--active-fg:{c['accent']};--placeholder-color:{c['muted']};--icon-color:{c['muted']};"
        f"--shortcut-color:{c['muted']};--box-shadow-color:rgba(0,0,0,0.5);"
        f"--default:{c['panel']};--default-border:{c['rule']};--default-hover:{c['token']};"
        f"--default-hover-border:{c['rule']};--default-active:{c['token']};"
        f"--default-active-border:{c['accent']};--default-disabled:{c['panel']};"
        f"--default-disabled-border:{c['line']};--tooltip-arrow-color:{c['bg']};"
        f"--inverted-color:#ffffff;--primary:{c['primary']};--primary-border:{c['accent']};"
        f"--primary-hover:{c['primary']};--primary-hover-border:{c['ink']};"
        f"--primary-active:{c['primary']};--primary-active-border:{c['ink']};"
        f"color:var(--color);color-scheme:dark;}}"
        f".bk-input{{color:var(--color);}}"
        # the <select> arrow: BokehJS's is a black SVG image; this one is drawn in the text colour
        f"select.bk-input{{background-image:linear-gradient(45deg,transparent 50%,var(--color) 50%),"
        f"linear-gradient(135deg,var(--color) 50%,transparent 50%);background-size:5px 5px,5px 5px;"
        f"background-position:right 13px center,right 8px center;}}"
        f".noUi-target{{background:{c['panel']};border-color:{c['rule']};box-shadow:none;}}"
        f".noUi-handle{{background:{c['line']};border-color:{c['rule']};box-shadow:none;}}"
        f".noUi-tooltip{{background:{c['panel']};color:{c['ink']};border-color:{c['rule']};}}"
    )


def page_css() -> str:
    """The page's CSS variables (style.css reads them: var(--bg), var(--ink), ...): the light
    theme on :root, the dark one on :root[data-theme=dark] (web/theme.js sets it). build.py
    writes this into dist/style.css in place of its THEME_VARIABLES comment."""
    def block(selector, theme):
        values = "".join(f"--{k.replace('_', '-')}:{v};" for k, v in THEMES[theme].items()
                         if isinstance(v, str))
        return f"{selector}{{{values}color-scheme:{theme};}}"
    return "\n".join([block(":root", "light"), block(":root[data-theme=dark]", "dark")])


def _colour_map(theme: str) -> dict[str, str]:
    """light colour (lower case) -> its colour in `theme`."""
    if theme == "light":
        return {}
    out = {light: THEMES[theme][key] for light, key in RECOLOUR.items()}
    out.update({COLOURS[k].lower(): COLOURS_DARK[k] for k in COLOURS if COLOURS[k] != COLOURS_DARK[k]})
    return out


def _recolour_value(value, colours: dict[str, str]):
    if isinstance(value, str):
        return colours.get(value.lower(), value)
    if isinstance(value, dict) and isinstance(value.get("value"), str):
        return {**value, "value": colours.get(value["value"].lower(), value["value"])}
    if hasattr(value, "value") and type(value).__name__ == "Value" and isinstance(value.value, str):
        return type(value)(colours.get(value.value.lower(), value.value))
    return value


def _is_colour_property(model: Model, name: str) -> bool:
    # hatch colours: pysim draws no hatch patterns (and they would cost ~1/4 of the patch)
    return (name.endswith(("_color", "_colour")) or name == "color") and "hatch" not in name


def recolour(layout: Model, theme: str) -> None:
    """Give every model under `layout` its colours in `theme` (in place; see the docstring)."""
    colours = _colour_map(theme)
    if not colours:
        return
    palettes = {tuple(PALETTES["light"][k]): PALETTES[theme][k] for k in PALETTES["light"]}
    for model in layout.references():
        for name in model.properties():
            if _is_colour_property(model, name):
                old = getattr(model, name)
                new = _recolour_value(old, colours)
                if new is not old and new != old:
                    setattr(model, name, new)
        if isinstance(model, ColorMapper) and tuple(model.palette) in palettes:
            model.palette = list(palettes[tuple(model.palette)])
        if isinstance(model, ColumnDataSource):  # colours given per item (fill_color=[...])
            data = dict(model.data)
            for col, values in data.items():
                if "colo" in col and all(isinstance(v, str) for v in values):
                    data[col] = [colours.get(v.lower(), v) for v in values]
            if data != model.data:
                model.data = data


def style(layout: Model, theme: str) -> None:
    """Style the document under `layout` for `theme` (in place): the shared stylesheet on every
    UIElement (every theme, so that all builds have the same structure), then the colours."""
    sheet = InlineStyleSheet(css=widget_css(theme))
    for model in layout.select({"type": UIElement}):
        model.stylesheets = [*model.stylesheets, sheet]
    recolour(layout, theme)
