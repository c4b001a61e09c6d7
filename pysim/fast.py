"""The fast twin of pysim.lstm.forward for one sequence: what Model.trace runs at every keystroke.

pysim.lstm.step is the article's equations, one line each. forward() here computes the same
values for one sequence x (T, D), a few times faster: the four gate pre-activations are one
product [W | b] . [h_{t-1}, x_t, 1] per step with the rows of [W | b] pre-scaled, so that one
tanh gives all four gates (gate_scale):

    sigma(z) = 0.5 * tanh(0.5 * z) + 0.5   (f, i, o)      tanh(z) = 1.0 * tanh(1.0 * z) + 0.0   (g)

Model.trace(fast=False) runs pysim.lstm.forward (a batch of one) instead; the tests
(tests/test_fast.py) check the twins against each other on every shape they use (pysim.lstm
says how). Where numpy has no BLAS (Pyodide), a large product is an einsum (EINSUM_MATVEC_SIZE).

Plain numpy and pysim.lstm (its Clamps): this module runs unchanged in CPython and in Pyodide.
"""
from __future__ import annotations

import sys

import numpy as np

from . import lstm

# Pyodide's numpy has no BLAS: there einsum's loop does a matrix-vector product of more than
# ~3000 weights faster than matmul's (4H x (2H + 1): H = 32: 5.4 vs 6.8 us; H = 128: 44 vs 103 us)
EINSUM_MATVEC_SIZE = 3000 if sys.platform == "emscripten" else None


def gate_scale(H: int):
    """(4H,) scale and shift with which one tanh gives all four gates [f | i | g | o]:
    scale * tanh(scale * z) + shift is sigmoid(z) (pysim.lstm.sigmoid) for f, i, o and tanh(z)
    for g."""
    scale = np.repeat([0.5, 0.5, 1.0, 0.5], H)
    shift = np.repeat([0.5, 0.5, 0.0, 0.5], H)
    return scale, shift


def forward(model, x, h0, c0, clamps=None):
    """pysim.lstm.forward for one sequence x (T, D), fast: (L, T, H) f, i, g, o, C, h.

    h0, c0: (L, H) the state before step 0; clamps: a list of pysim.model.Clamp.
    One step at a time, so a trace split over several calls is bit-identical. Row t of hx1
    is [h_{t-1}, x_t, 1], so z_t = [W | b] . hx1[t] is one product, and h_t is written
    straight into row t + 1. The rows of [W | b] are multiplied by `scale` (exact: 1/2 or
    1), so the product is scale * z_t, and one tanh of it gives all four gates (gate_scale).
    """
    L, H, T = model.config.num_layers, model.config.hidden_size, x.shape[0]
    gates = np.empty((L, T, 4 * H))                  # [f | i | g | o] after activation
    c, h = np.empty((L, T, H)), np.empty((L, T, H))
    scale, shift = gate_scale(H)
    masks = lstm.Clamps(clamps, L, T, H) if clamps else None
    inp = x  # (T, D) input of the current layer
    for l, layer in enumerate(model.layers):
        Wb = np.concatenate([layer.W, layer.b[:, None]], axis=1)  # (4H, H + D + 1)
        Wb *= scale[:, None]  # in place: a new (4H, H + D + 1) array costs page faults
        hx1 = np.empty((T + 1, Wb.shape[1]))         # (T + 1, H + D + 1)
        hx1[0, :H] = h0[l]
        hx1[:T, H:-1] = inp
        hx1[:, -1] = 1.0
        use_einsum = EINSUM_MATVEC_SIZE is not None and Wb.size >= EINSUM_MATVEC_SIZE
        c_prev = c0[l]
        f_l, i_l, g_l, o_l = (gates[l, :, k * H:(k + 1) * H] for k in range(4))  # (T, H) views
        steps = zip(hx1, gates[l], f_l, i_l, g_l, o_l, c[l], hx1[1:, :H])  # row t: step t
        for t, (hx_t, a_t, f_t, i_t, g_t, o_t, c_t, h_t) in enumerate(steps):
            if use_einsum:
                np.einsum("gk,k->g", Wb, hx_t, out=a_t)  # (4H,) scale * (W.[h_{t-1}, x_t] + b)
            else:
                np.matmul(Wb, hx_t, out=a_t)
            np.tanh(a_t, out=a_t)
            a_t *= scale
            a_t += shift                             # f_t, i_t, g_t (C~), o_t: the gates
            if masks is not None:
                masks.at(l, t).gates(f_t, i_t, o_t)  # in place
            np.multiply(f_t, c_prev, out=c_t)
            c_t += i_t * g_t                         # memory cell
            if masks is not None:
                masks.at(l, t).patch_cell(c_t)       # in place (pysim.patching)
            np.tanh(c_t, out=h_t)
            h_t *= o_t                               # output
            if masks is not None:
                masks.at(l, t).silence(c_t, h_t)     # in place
            c_prev = c_t
        h[l] = hx1[1:, :H]
        inp = h[l]                                   # (T, H) feeds the next layer
    f, i, g, o = (np.ascontiguousarray(gates[:, :, k * H:(k + 1) * H]) for k in range(4))
    return f, i, g, o, c, h
