"""Every colour, diagram coordinate and limit that both the Python side and the page's JavaScript
use, written once: here, or where pysim defines it (imported). build.py sends `constants()` to the
page in the boot data (boot["constants"]); web/*.js read them as `ctl.boot.constants` and write
none of them again.

- COLOURS: one colour per quantity (Okabe-Ito, colour-blind safe), the same in the unit plot
  (web/page.py), the cell diagram's static drawing (web/panels/diagram.py) and what
  web/features/diagram.js draws.
- DIAGRAM: the cell diagram's geometry (data units of diagram_fig), drawn by both sides.
- limits: pysim's own (the training chunk, the model file size) and the learning rates the
  Training tab proposes (pysim.train's defaults for Adam, 0.5 for SGD with momentum).
"""
from __future__ import annotations

COLOURS = {"f": "#0072B2", "i": "#E69F00", "g": "#CC79A7", "o": "#009E73", "c": "#7f3b08",
           "h": "#000000"}
INK = "#333333"  # the diagram's neutral text and outlines

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
TOKEN_TITLE = "tokens (current one framed; predicted tag below)"
LEGIBLE_STEPS = 60

# gestures on the views (web/swipe.js): a swipe travels >= swipe_px sideways, a tap <= tap_px
TOUCH = {"swipe_px": 40, "tap_px": 10}


def limits() -> dict:
    from pysim import io, live, train
    return {"max_chunk": live.MAX_CHUNK, "max_bytes": io.MAX_FILE_BYTES,
            "default_lr": {"adam": str(train.default_lr("beijing", "adam")),
                           "sgd": str(train.default_lr("beijing", "sgd"))}}


def constants() -> dict:
    """What the page's JavaScript reads (boot["constants"])."""
    return {"colours": dict(COLOURS), "ink": INK, "diagram": DIAGRAM, "token_title": TOKEN_TITLE,
            "legible_steps": LEGIBLE_STEPS, **limits(),
            "touch": TOUCH}
