"""Colours stay legible for colour-blind readers: simulate protanopia, deuteranopia and
tritanopia (Machado et al. 2009, severity 1) and check the page's colours stay apart. The colours
checked are those drawn: the unit plot's lines as the page's Bokeh document has them, the cell
diagram's as the boot data sends them to web/features/diagram.js (web/constants.py); and one
quantity has one colour in both (tests/web/test_features.py checks what the browser drew)."""
from __future__ import annotations

import itertools
import re
from pathlib import Path

import numpy as np
import pytest

from bokeh.models import GlyphRenderer, Line

from web import page
from web.constants import constants
from web.panels import diagram

# Machado, Oliveira & Fernandes (2009), severity 1.0, applied in linear RGB
CVD = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}


def lab(hex_colour, cvd=None):
    """sRGB hex -> CIELAB (D65), optionally as seen with a colour-vision deficiency."""
    rgb = np.array([int(hex_colour[k:k + 2], 16) / 255 for k in (1, 3, 5)])
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    if cvd:
        lin = np.clip(np.array(CVD[cvd]) @ lin, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ lin / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def unit_plot_colours() -> dict:
    """{field: colour} of the unit plot's lines, from the page's own layout."""
    layout = page.build_layout(["beijing"], "beijing", "arrive Beijing", ("a b", "c d"))
    (fig,) = layout.select({"name": "unit_fig"})
    return {r.glyph.y: r.glyph.line_color for r in fig.renderers
            if isinstance(r, GlyphRenderer) and isinstance(r.glyph, Line)}


def diagram_colours() -> dict:
    """{quantity: colour} web/features/diagram.js draws with (the boot data's constants)."""
    return constants()["colours"]


def test_one_quantity_has_one_colour_in_the_unit_plot_and_the_diagram():
    lines, drawn = unit_plot_colours(), diagram_colours()
    assert set(lines) == set("fioch")
    assert lines == {k: drawn[k] for k in lines}  # C was drawn in the diagram's colour of C~
    # the diagram's static gate boxes too
    fig = diagram.panel().child.select_one({"name": "diagram_fig"})
    (boxes,) = [r.data_source.data["line_color"] for r in fig.renderers
                if type(r.glyph).__name__ == "Rect" and r.glyph.line_color == "line_color"]
    assert list(boxes) == [drawn[k] for k in diagram.GATES_X]


@pytest.mark.parametrize("cvd", [None, *CVD])
def test_unit_plot_lines_stay_distinguishable(cvd):
    colours = list(unit_plot_colours().values())
    gaps = [np.linalg.norm(lab(a, cvd) - lab(b, cvd)) for a, b in itertools.combinations(colours, 2)]
    assert min(gaps) > 15, f"two line colours look alike ({min(gaps):.1f} Delta E) under {cvd}"


@pytest.mark.parametrize("cvd", [None, *CVD])
def test_diagram_gate_colours_stay_distinguishable(cvd):
    colours = [diagram_colours()[k] for k in "figo"]
    gaps = [np.linalg.norm(lab(a, cvd) - lab(b, cvd)) for a, b in itertools.combinations(colours, 2)]
    assert min(gaps) > 15


@pytest.mark.parametrize("cvd", [None, *CVD])
def test_diverging_scale_keeps_its_sign(cvd):
    """Negative and positive ends of the C, C~ and h scales stay apart, the middle stays light."""
    pal = page.DIVERGING
    lo, mid, hi = lab(pal[0], cvd), lab(pal[len(pal) // 2], cvd), lab(pal[-1], cvd)
    assert np.linalg.norm(lo - hi) > 30
    assert mid[0] > 90  # the zero of the scale is near white


@pytest.mark.parametrize("cvd", [None, *CVD])
def test_gate_scale_is_monotonic_in_lightness(cvd):
    """Viridis: 0 (closed) is dark, 1 (open) is light, in every vision type."""
    from bokeh.palettes import Viridis256
    L = [lab(c, cvd)[0] for c in Viridis256[::15]]
    assert all(b > a for a, b in zip(L, L[1:]))


def test_no_colour_is_written_in_both_languages():
    """A colour both sides draw is written once, in Python (web/constants.py), and reaches the
    JavaScript through the boot data: no hex colour of web/'s Python appears in its JavaScript."""
    web = Path(page.__file__).parent
    hex_colour = re.compile(r"#[0-9a-fA-F]{6}\b")
    py = {c.lower() for p in web.rglob("*.py") for c in hex_colour.findall(p.read_text())}
    js = {c.lower(): p.name for p in web.rglob("*.js") for c in hex_colour.findall(p.read_text())}
    assert {c.lower() for c in constants()["colours"].values()} <= py
    both = {c: f for c, f in js.items() if c in py}
    assert not both, f"written in Python and in JavaScript: {both}"
