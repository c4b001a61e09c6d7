"""Wire an LSTM by hand: a tiny cell (1-2 units) whose every weight is set by the reader, traced
over input vectors typed as text ("[3,1,0] [4,1,0] [2,0,0] [1,0,1]") through pysim.lstm.step,
the article's equations one line each.

    parse_inputs(text)       "[3,1,0] [4,1,0]" -> (T, D) array; a ValueError says what is wrong
    format_inputs(x)         (T, D) -> the same text form
    weights(w)               a weights dict checked and as arrays: W_f, W_i, W_C, W_o (H, H + D)
                             over [h_{t-1}, x_t] and b_f, b_i, b_C, b_o (H,)
    trace(w, x)              every step's x_t, f, i, C~ ("g"), C ("c"), o, h: (T, H) arrays
    wire(w, text)            parse + trace, as plain data (what the page's worker calls)
    model(w)                 the same cell as a pysim Model (the tests trace it independently)
    PRESET, PRESET_INPUTS    the hand-wired cell of the lecture the article cites first

The preset is the cell of Hung-yi Lee's lecture on recurrent networks (NTU; the article's
reference 1), with inputs x = (x1, x2, x3): x1 carries a value; x2 = 1 opens the input gate
(W_i: 100 x2 - 10) to add x1 to the memory; x2 = -1 closes the forget gate (W_f: 100 x2 + 10)
to reset it; x3 = 1 opens the output gate (W_o: 100 x3 - 10) to read it out. The lecture's cell
is linear (C~ = x1, h = o * C): it stores 3 + 4 = 7. pysim's, the article's, squashes both with
tanh (C~ = tanh(W_C . x), h = o * tanh(C)), so the preset writes W_C = 0.1 x1, where tanh(z) is
close to z: the memory adds up to tanh(0.3) + tanh(0.4) = 0.671 (the lecture's 7, x 0.1, less
4%) and is read out as tanh(0.671) = 0.586. The gates are sigmoids in both.

Plain numpy and pysim.lstm/model: runs unchanged in CPython and in Pyodide.
"""
from __future__ import annotations

import math
import re

import numpy as np

from . import lstm
from .model import Config, Layer, Model

GATES = ("f", "i", "C", "o")  # the article's names: W_f, W_i, W_C, W_o; pysim's W rows f, i, g, o
NAMES = tuple(f"W_{k}" for k in GATES) + tuple(f"b_{k}" for k in GATES)
STEPS = ("x", "f", "i", "g", "c", "o", "h")  # what trace() returns per step (g: C~, c: C)
MAX_UNITS = 2     # H
MAX_INPUTS = 4    # D: numbers per input vector
MAX_STEPS = 40    # T: input vectors

# ---- the lecture's cell ----------------------------------------------------------------------
# columns [h_{t-1} | x1, x2, x3]; one unit, no recurrent weights (the lecture has none)
PRESET = {
    "W_f": [[0.0, 0.0, 100.0, 0.0]], "b_f": [10.0],    # keep unless x2 = -1 (reset)
    "W_i": [[0.0, 0.0, 100.0, 0.0]], "b_i": [-10.0],   # write when x2 = 1
    "W_C": [[0.0, 0.1, 0.0, 0.0]], "b_C": [0.0],       # the value: x1 (x 0.1, where tanh ~ linear)
    "W_o": [[0.0, 0.0, 0.0, 100.0]], "b_o": [-10.0],   # read when x3 = 1
}
# write 3, write 4 (7), x2 = 0: ignored, read (7), reset, write 6, read (6)
PRESET_INPUTS = "[3,1,0] [4,1,0] [2,0,0] [1,0,1] [3,-1,0] [6,1,0] [1,0,1]"


# ---- input vectors as text -------------------------------------------------------------------
_SEP = re.compile(r"[\s,;]+")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def parse_inputs(text: str) -> np.ndarray:
    """Input vectors typed as text -> (T, D) float array: each vector in [ ], its numbers
    separated by commas or spaces, vectors separated by spaces (or commas). Raises ValueError
    with a message for the reader (the page's web/features/wire.js parses by the same rules)."""
    text = str(text)
    vectors, pos = [], 0
    while True:
        m = _SEP.match(text, pos)
        pos = m.end() if m else pos
        if pos >= len(text):
            break
        if text[pos] != "[":
            stray = text[pos:].split("[")[0].strip()[:20]
            raise ValueError(f"\u201c{stray}\u201d is outside any [ ]: write each input vector "
                             "in brackets, e.g. [3,1,0] [4,1,0].")
        end = text.find("]", pos)
        nested = text.find("[", pos + 1)
        if end < 0 or 0 <= nested < end:
            raise ValueError(f"vector {len(vectors) + 1}: a \u201c[\u201d is not closed by "
                             "\u201c]\u201d.")
        items = [s for s in _SEP.split(text[pos + 1:end]) if s]
        n = len(vectors) + 1
        if not items:
            raise ValueError(f"vector {n} is empty: put at least one number in it.")
        for s in items:
            if not _NUMBER.fullmatch(s) or not math.isfinite(float(s)):
                raise ValueError(f"vector {n}: \u201c{s[:20]}\u201d is not a number.")
        if len(items) > MAX_INPUTS:
            raise ValueError(f"vector {n} has {len(items)} numbers: at most {MAX_INPUTS} inputs.")
        if vectors and len(items) != len(vectors[0]):
            raise ValueError(f"vector {n} has {len(items)} numbers and vector 1 "
                             f"{len(vectors[0])}: every x_t needs the same length.")
        vectors.append([float(s) for s in items])
        if len(vectors) > MAX_STEPS:
            raise ValueError(f"more than {MAX_STEPS} vectors: at most {MAX_STEPS} steps.")
        pos = end + 1
    if not vectors:
        raise ValueError("Type at least one input vector, e.g. [3,1,0] [4,1,0].")
    return np.array(vectors, dtype=np.float64)


def format_inputs(x) -> str:
    """(T, D) -> "[3,1,0] [4,1,0]" (numbers as short as they read back exactly)."""
    return " ".join("[" + ",".join(f"{float(v):g}" if float(f"{float(v):g}") == v else repr(float(v))
                                   for v in row) + "]" for row in np.asarray(x, dtype=np.float64))


# ---- weights ---------------------------------------------------------------------------------
def weights(w, D: int | None = None) -> dict:
    """The weights dict checked: W_f, W_i, W_C, W_o (H, H + D) and b_f, b_i, b_C, b_o (H,),
    finite numbers, H in 1..MAX_UNITS; D (if given) must match. Returns float64 arrays."""
    missing = [k for k in NAMES if k not in w]
    if missing:
        raise ValueError(f"the weights lack {', '.join(missing)}")
    out = {k: np.array(w[k], dtype=np.float64) for k in NAMES}
    H = out["b_f"].shape[0] if out["b_f"].ndim == 1 else 0
    if not 1 <= H <= MAX_UNITS:
        raise ValueError(f"b_f must list 1 to {MAX_UNITS} numbers (one per unit)")
    width = out["W_f"].shape[1] if out["W_f"].ndim == 2 else 0
    if width <= H or width - H > MAX_INPUTS:
        raise ValueError(f"W_f must be {H} rows of H + D numbers ([h_(t-1), x_t]), D in "
                         f"1..{MAX_INPUTS}")
    for k in GATES:
        if out[f"W_{k}"].shape != (H, width):
            raise ValueError(f"W_{k} is {list(out[f'W_{k}'].shape)}: it must be [{H}, {width}] "
                             "like W_f")
        if out[f"b_{k}"].shape != (H,):
            raise ValueError(f"b_{k} must list {H} numbers, like b_f")
    bad = [k for k in NAMES if not np.isfinite(out[k]).all()]
    if bad:
        raise ValueError(f"{', '.join(bad)}: every weight must be a finite number")
    if D is not None and width - H != D:
        raise ValueError(f"the weights read x_t of {width - H} numbers, the input vectors have "
                         f"{D}")
    return out


def stacked(w):
    """[W_f; W_i; W_C; W_o] (4H, H + D) and [b_f; b_i; b_C; b_o] (4H,): pysim's Layer."""
    w = weights(w)
    return (np.concatenate([w[f"W_{k}"] for k in GATES]),
            np.concatenate([w[f"b_{k}"] for k in GATES]))


def model(w) -> Model:
    """The wired cell as a pysim Model (vector input, no head)."""
    W, b = stacked(w)
    H = W.shape[0] // 4
    return Model(Config(input_size=W.shape[1] - H, hidden_size=H), [Layer(W=W, b=b)])


# ---- the trace -------------------------------------------------------------------------------
def trace(w, x) -> dict:
    """Run the wired cell over x (T, D) from C = h = 0 with pysim.lstm.step: (T, H) arrays
    x (T, D), f, i, g (C~), c (C), o, h."""
    x = np.asarray(x, dtype=np.float64)
    W, b = stacked(weights(w, D=x.shape[1]))
    H = W.shape[0] // 4
    W_h, W_x = W[:, :H], W[:, H:]                            # (4H, H), (4H, D)
    zx = x @ W_x.T + b                                       # (T, 4H) W_x . x_t + b
    out = {k: np.empty((len(x), H)) for k in STEPS[1:]}
    h, c = np.zeros((1, H)), np.zeros((1, H))                # h_{-1}, C_{-1}
    for t in range(len(x)):
        f, i, g, o, c, h = lstm.step(W_h, zx[t][None], h, c)  # (1, H) each
        for k, v in zip("figoch", (f, i, g, o, c, h)):
            out[k][t] = v[0]
    return {"x": x, **out}


def wire(w, text) -> dict:
    """What the page's worker calls: the inputs (text, or a list of vectors) traced with the
    weights: {"T", "H", "D", "inputs" (the text form), x, f, i, g, c, o, h as (T, H) arrays}."""
    if not isinstance(text, str):  # a list of vectors: checked by the same rules as typed text
        try:
            text = " ".join("[" + ",".join(repr(float(v)) for v in vec) + "]" for vec in text)
        except (TypeError, ValueError):
            raise ValueError("the inputs must be text or a list of vectors of numbers") from None
    x = parse_inputs(text)
    tr = trace(w, x)
    return {"T": int(x.shape[0]), "H": int(tr["h"].shape[1]), "D": int(x.shape[1]),
            "inputs": format_inputs(x), **tr}
