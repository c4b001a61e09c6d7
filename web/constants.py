"""Every colour, diagram coordinate and limit that both the Python side and the page's JavaScript
use, written once: here, or where pysim defines it (imported). build.py sends `constants()` to the
page in the boot data (boot["constants"]); web/*.js read them as `ctl.boot.constants` and write
none of them again.

- COLOURS: one colour per quantity (Okabe-Ito, colour-blind safe), the same in the unit plot
  (web/page.py), the cell diagram's static drawing (web/panels/diagram.py) and what
  web/features/diagram.js draws.
- THEMES: the page's neutral colours in the light (base) and dark themes, the same keys in both:
  build.py writes them into style.css as CSS variables (--bg, --ink, ...; :root[data-theme=dark]
  for the dark ones), web/theme.py recolours the dark build of the Bokeh documents with them
  (RECOLOUR: which light colour becomes which key) and the page's JavaScript reads the chosen
  theme's as `constants.theme` (web/theme.js chooses: ?theme=dark|light, else the system's).
- COLOURS_DARK: COLOURS' twins on a dark background (text on it needs 4.5:1: f, c and h differ);
  PALETTES: the heatmaps' colour scales per theme (see PALETTES' comment).
- DIAGRAM: the cell diagram's geometry (data units of diagram_fig), drawn by both sides.
- limits: pysim's own (the training chunk, the model file size) and the learning rates the
  Training tab proposes (pysim.train's defaults for Adam, 0.5 for SGD with momentum).
- wire: the Wire tab's limits and the lecture's hand-wired preset (pysim.handwired).
"""
from __future__ import annotations

COLOURS = {"f": "#0072B2", "i": "#E69F00", "g": "#CC79A7", "o": "#009E73", "c": "#7f3b08",
           "h": "#000000"}
INK = "#333333"  # the diagram's neutral text and outlines
COLOURS_DARK = {**COLOURS, "f": "#56B4E9", "c": "#e8804a", "h": "#e3e6ec"}

# ---- themes: every neutral colour of the page, light and dark (same keys) --------------------
THEMES = {
    "light": {"bg": "#ffffff", "ink": "#1d2330", "muted": "#5b6475", "line": "#d9dee7",
              "rule": "#999999", "accent": "#0b5cad", "panel": "#f6f8fb", "tag": "#0b3d91",
              "unk": "#b2182b", "token": "#eef3fa", "token_unk": "#fde0dd",
              "changed": "#fdd49e", "pred": "#f3f5f9", "msg_bg": "#fff6db", "msg_line": "#f0d58c",
              "err_bg": "#fdecea", "err_line": "#f5b5ae", "err_ink": "#7a1610",
              "dot_wait": "#e0a800", "dot_ok": "#1a8f3c", "dot_fail": "#c62828",
              "primary": "#428bca",  # BokehJS's primary buttons (Play), white text on it
              # tag probabilities: a label is drawn in the "label_light" text colour above this p
              # (mid-blue cells next to it give neither text 4.5:1: light 2.8:1 at worst, dark 3.8)
              "probs_flip": 0.55},
    "dark": {"bg": "#16191f", "ink": "#e3e6ec", "muted": "#a3abb9", "line": "#3a404c",
             "rule": "#7d8595", "accent": "#6cb0f5", "panel": "#1f232b", "tag": "#8cb8ff",
             "unk": "#ff8a80", "token": "#263041", "token_unk": "#4a2523",
             "changed": "#5c4214", "pred": "#262a33", "msg_bg": "#3a3115", "msg_line": "#6b5a22",
             "err_bg": "#3b1a18", "err_line": "#7a2e28", "err_ink": "#f4b4ad",
             "dot_wait": "#e0a800", "dot_ok": "#3fbf65", "dot_fail": "#ef5350",
             "primary": "#2b6cb0",  # 5.4:1 under white text
             "probs_flip": 0.28},  # Blues runs the other way (PALETTES): best for both texts
}
# which literal colour of the light Bokeh documents (bokeh's defaults included) is which THEMES
# key: web/theme.py gives the dark build that key's dark colour (lower case; named colours too)
RECOLOUR = {
    "#ffffff": "bg", "white": "bg", "#fff": "bg",
    "#f6f8fb": "panel", "#f3f4f7": "panel", "#f3f5f9": "pred",
    "#000000": "ink", "black": "ink", "#000": "ink", "#444444": "ink", "#333333": "ink",
    "#1d2330": "ink", "#18191d": "ink",
    "#555555": "muted", "#666666": "muted", "#5b6475": "muted", "#8a93a3": "muted",
    "#888888": "rule", "#999999": "rule", "#cccccc": "line", "#e5e5e5": "line",
    "#d9dee7": "line", "#0b3d91": "tag", "#b2182b": "unk", "#eef3fa": "token",
    "#fde0dd": "token_unk", "#fdd49e": "changed",
}

# The heatmaps' colour scales. Light: Viridis for gates (0 closed .. 1 open), RdBu (reversed) for
# signed values, Blues (reversed: p = 0 white) for probabilities. Against white, what stands out
# is the dark end: closed gates, values far from 0, likely tags; the other end is close to the
# background (open gates: yellow, 1.3:1; 0: near white; p = 0: white). Dark mirrors each scale's
# lightness, so that the same values stand out from a dark background as from a white one, by
# about as much: Viridis and Blues reversed, RdBu's two halves each reversed around a dark 0
# (tests/web/test_theme.py compares every end's contrast with its background in both themes;
# tests/web/test_theme_build.py their distances with colour blindness).
def _palettes():
    from bokeh.palettes import Blues256, RdBu11, Viridis256
    diverging = list(reversed(RdBu11))  # the order web/page.py has always drawn
    mid = len(diverging) // 2
    dark_mid = "#262a33"  # 0 is "nothing": close to the dark background, as #f7f7f7 is to white
    light = {"gate": list(Viridis256), "signed": diverging, "probs": list(reversed(Blues256))}
    return {"light": light,
            "dark": {"gate": light["gate"][::-1],
                     # without RdBu's palest pair: pale peach and pale blue look alike
                     # (19-26 Delta E apart with colour blindness; the next pair 42-68, as light)
                     "signed": diverging[:mid - 1][::-1] + [dark_mid] + diverging[mid + 2:][::-1],
                     "probs": light["probs"][::-1]}}


PALETTES = _palettes()

_CELL_Y = 7.6
DIAGRAM = {
    "gate_y": 3.2,                                         # gate boxes
    "gauge_y0": 4.3, "gauge_h": 1.6,                       # valves: bottom and full height
    "cell_y": _CELL_Y,                                     # the memory line C_{t-1} -> C_t
    "gates_x": {"f": 4.0, "i": 6.3, "g": 8.3, "o": 10.8},  # the four gates' columns
    # the operators (x, y): f x C_{t-1} ("keep"), + ("add"), i x C~ ("let_in"), tanh(C_t) and
    # o x tanh(C_t) ("show"); flows end at their edges: node_r (x, y) from the centre, tanh_r
    # (y) for the larger tanh node
    "nodes": {"keep": [4.0, _CELL_Y], "add": [7.3, _CELL_Y], "let_in": [7.3, 5.9], "tanh": [12.6, 6.3],
              "show": [12.6, 4.6]},
    "node_r": [0.4, 0.42], "tanh_r": 0.55,
    "x_end": 13.9,                                         # where C_t and h_t leave the cell
}

# the token strip: its title, and up to how many steps words (and the unit plot's dots) are
# drawn (beyond, they overlap); the same in the prerendered pictures and the BokehJS views
LEGIBLE_STEPS = 60

# the Contrast tab: its top units' lines (one Okabe-Ito colour each: as many units as colours),
# the probability bar before patching, the corpus's word frames (every word / where the
# selection's units are on), and how many of a corpus's sentences its word map shows
CONTRAST = {"units": ["#0072B2", "#D55E00", "#009E73"], "before": "#999999", "frame": "#dddddd",
            "match": "#000000", "corpus_rows": 20}
# gestures on the views (web/swipe.js): a swipe travels >= swipe_px sideways, a tap <= tap_px
TOUCH = {"swipe_px": 40, "tap_px": 10}
# how near the viewport a piece of the views (or the tabs) is built (web/pieces.js, an
# IntersectionObserver rootMargin): within a quarter of the viewport's height of it. Until then
# its picture (the same trace) stands in its place. A figure takes 0.1-0.2 s to build here,
# several times that on a phone. Measured, Lighthouse mobile, the page and ?embed, 3 interleaved
# runs each: one viewport height ("100% 0px") blocks 3.3 s and 3.3 s, a quarter 2.7 s and 2.5 s.
BUILD_MARGIN = "25% 0px"


def limits() -> dict:
    from pysim import io, live, train
    return {"max_chunk": live.MAX_CHUNK, "max_bytes": io.MAX_FILE_BYTES,
            "default_lr": {"adam": str(train.default_lr("beijing", "adam")),
                           "sgd": str(train.default_lr("beijing", "sgd"))}}


def wire() -> dict:
    """The Wire tab's limits and preset (pysim.handwired's, written there once)."""
    from pysim import handwired as hw
    return {"max_units": hw.MAX_UNITS, "max_inputs": hw.MAX_INPUTS, "max_steps": hw.MAX_STEPS,
            "preset": hw.PRESET, "preset_inputs": hw.PRESET_INPUTS}


def constants() -> dict:
    """What the page's JavaScript reads (boot["constants"])."""
    return {"colours": dict(COLOURS), "ink": INK, "themes": {
                "light": {**THEMES["light"], "colours": dict(COLOURS), "ink": INK},
                "dark": {**THEMES["dark"], "colours": dict(COLOURS_DARK),
                         "ink": THEMES["dark"]["ink"]}}, "diagram": DIAGRAM,
            "legible_steps": LEGIBLE_STEPS, **limits(), "wire": wire(),
            "contrast": dict(CONTRAST), "touch": TOUCH, "build_margin": BUILD_MARGIN}
