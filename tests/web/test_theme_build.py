"""web/theme.py and the themes of web/constants.py, at build time: the dark documents keep no light
colour, every text colour of each theme reads at 4.5:1 on the backgrounds it is drawn on, the
colour scales are mirrored, and style.css gets every theme colour as a CSS variable."""
from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from tests.web.test_palette import CVD, lab
from tests.web.test_theme import contrast, is_dark
from web import variants
from web.constants import COLOURS, COLOURS_DARK, PALETTES, RECOLOUR, THEMES
from web.theme import page_css, widget_css


@pytest.fixture(scope="module")
def documents():
    from pysim import presets
    from web.documents import page_items
    name = presets.NAMES[0]
    base, patches = page_items(presets.NAMES, name, presets.default_text(name),
                               presets.ARTICLE_SENTENCES)
    dark = {k: variants.apply(base[k], patches["theme:dark"][k]) for k in base}
    return base, dark, patches


def strings(x):
    """Every string in the JSON x but palettes' (data colours) and hatch colours' (no hatch
    pattern is drawn: web/theme.py leaves them)."""
    if isinstance(x, str):
        yield x
    elif isinstance(x, dict):
        for k, v in x.items():
            if k != "palette" and "hatch" not in k:
                yield from strings(v)
    elif isinstance(x, list):
        for v in x:
            yield from strings(v)


def test_dark_documents_keep_no_light_colour(documents):
    base, dark, _ = documents
    light_colours = set(RECOLOUR) | {c.lower() for k, c in COLOURS.items() if c != COLOURS_DARK[k]}
    assert light_colours & {s.lower() for s in strings(base)}  # the base has them
    left = light_colours & {s.lower() for s in strings(dark)}
    assert not left, left
    # the plots' backgrounds are the page's
    fills = {s for s in strings(dark) if s == THEMES["dark"]["bg"]}
    assert fills


def test_patch_is_small(documents):
    """Much smaller than a second copy of the documents (most of it: the 256-colour palettes)."""
    import gzip
    base, _, patches = documents
    patch = json.dumps(patches["theme:dark"], separators=(",", ":")).encode()
    whole = json.dumps(base, separators=(",", ":")).encode()
    assert len(patch) < len(whole) / 3
    assert len(gzip.compress(patch)) < len(gzip.compress(whole)) / 3


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_text_colours_read_at_4_5(theme):
    c = THEMES[theme]
    pairs = [(fg, bg) for fg in ("ink", "muted", "accent", "tag", "unk")
             for bg in ("bg", "panel")] + [
        ("ink", "token"), ("ink", "token_unk"), ("ink", "msg_bg"), ("err_ink", "err_bg"),
        ("ink", "pred"), ("ink", "changed")]
    low = [(fg, bg, round(contrast(c[fg], c[bg]), 2)) for fg, bg in pairs
           if contrast(c[fg], c[bg]) < 4.5]
    assert not low, low
    assert is_dark(c["bg"]) == (theme == "dark")


def test_quantity_colours_read_on_the_dark_background():
    """The cell diagram writes its numbers in the quantities' colours."""
    for k, colour in COLOURS_DARK.items():
        assert contrast(colour, THEMES["dark"]["bg"]) >= 4.5, (k, colour)
        assert contrast(colour, THEMES["dark"]["panel"]) >= 4.0, (k, colour)
    assert COLOURS_DARK["h"] != COLOURS["h"]  # black, the light theme's h, has a twin
    assert set(COLOURS_DARK) == set(COLOURS)


def test_colour_scales_are_mirrored():
    for kind in PALETTES["light"]:
        light, dark = PALETTES["light"][kind], PALETTES["dark"][kind]
        for end in (0, -1):  # what stands out from white stands out from the dark background
            assert (contrast(light[end], THEMES["light"]["bg"]) >= 3) == \
                (contrast(dark[end], THEMES["dark"]["bg"]) >= 3), (kind, end)
    signed = PALETTES["dark"]["signed"]
    mid = len(signed) // 2
    assert contrast(signed[mid], THEMES["dark"]["bg"]) < 1.5  # 0 close to the background
    assert min(contrast(signed[0], THEMES["dark"]["bg"]), contrast(signed[-1], THEMES["dark"]["bg"])) > 7


def test_page_css_and_widget_css():
    css = page_css()
    for theme, selector in (("light", ":root{"), ("dark", ":root[data-theme=dark]{")):
        block = css.split(selector, 1)[1].split("}", 1)[0]
        for key, value in THEMES[theme].items():
            if isinstance(value, str):
                assert f"--{key.replace('_', '-')}:{value};" in block, (theme, key)
    assert widget_css("light") == ""
    dark = widget_css("dark")
    assert f"--background-color:{THEMES['dark']['bg']}" in dark
    assert f"--color:{THEMES['dark']['ink']}" in dark


@pytest.mark.parametrize("cvd", [None, *CVD])
def test_dark_colours_stay_apart_with_colour_blindness(cvd):
    """As tests/web/test_palette.py checks the light ones: the unit plot's lines and the diagram's
    gates in their dark colours, and the dark diverging scale's two ends (as far apart as
    light's: 35-69 Delta E), its 0 dark."""
    lines = [COLOURS_DARK[k] for k in "fioch"]
    gates = [COLOURS_DARK[k] for k in "figo"]
    for colours in (lines, gates):
        gaps = [np.linalg.norm(lab(a, cvd) - lab(b, cvd))
                for a, b in itertools.combinations(colours, 2)]
        assert min(gaps) > 15, (colours, min(gaps))
    pal = PALETTES["dark"]["signed"]
    assert np.linalg.norm(lab(pal[0], cvd) - lab(pal[-1], cvd)) > 35
    assert lab(pal[len(pal) // 2], cvd)[0] < 20
