"""The LSTM's equations, one line each: the step, the forward pass and backprop through time.

The article's equations, on the concatenation [h_{t-1}, x_t]:

    f_t = sigma(W_f . [h_{t-1}, x_t] + b_f)      forget gate: how much of C_{t-1} is kept
    i_t = sigma(W_i . [h_{t-1}, x_t] + b_i)      input gate: how much of the candidate enters
    g_t = tanh (W_g . [h_{t-1}, x_t] + b_g)      candidate C~_t
    o_t = sigma(W_o . [h_{t-1}, x_t] + b_o)      output gate: how much of the memory is output
    C_t = f_t * C_{t-1} + i_t * g_t              memory cell
    h_t = o_t * tanh(C_t)                        output

step() is these six lines for a batch of B sequences; forward() runs it over T steps and every
layer (a batch of one is a single sequence), backward() mirrors forward() line by line from the
last step back, a gradient being its forward name with a d (dcell, dforget_gate, dW, ...).
The four gate blocks are stacked in the article's order (f, i, g, o): W is (4H, H + D) with
rows [W_f; W_i; W_g; W_o] and columns [h part | x part]; W . [h_{t-1}, x_t] + b is computed as
W_x . x_t + b for all steps at once, plus W_h . h_{t-1} at each step.

Everything that learns or takes a gradient runs on forward() and backward(): training
(pysim.train), loss_and_grads (Model.loss_and_grads), gradient_flow() (||dL_T/dC_t||, the
page's "how far back does the loss reach" view); the tests check them against finite
differences and PyTorch. Model.trace (pysim.model), which the page runs at every keystroke,
runs their fast twin for one sequence (pysim.fast: one product and one tanh per step) by
default. The tests (tests/test_fast.py) check the two
against each other on every shape they use, clamps included: whole sequences agree to 1e-12
for weights up to PyTorch's init scale (the presets', the fixtures'), and every step of the
fast trace is this step to 1e-12 for any weights (with large weights an LSTM can be chaotic:
two correct orders of summation then drift apart over many steps).

Plain numpy, no pysim imports: this module runs unchanged in CPython and in Pyodide.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def sigmoid(z):
    """1 / (1 + e^-z), computed as 0.5 * tanh(0.5 * z) + 0.5: no exp, so nothing overflows for
    any z, and no branches (in place after the tanh: fewer temporary arrays, the same values)."""
    s = np.tanh(0.5 * z)
    s *= 0.5
    s += 0.5
    return s


def step(W_h, zx_t, h_prev, c_prev, clamp=None):
    """One step of the article's equations for a batch of B sequences.

    W_h (4H, H): the h part of W; zx_t (B, 4H): W_x . x_t + b, the x part of the four
    pre-activations (forward() computes it for all steps at once); h_prev, c_prev (B, H).
    Returns the forget gate, input gate, candidate, output gate, cell and output, (B, H) each.
    clamp: an intervention at this step (Clamps.at), not part of the article.
    """
    H = c_prev.shape[-1]
    z = zx_t + h_prev @ W_h.T                                # (B, 4H) W . [h_{t-1}, x_t] + b
    forget_gate = sigmoid(z[:, 0 * H:1 * H])                 # (B, H) f_t = sigma(W_f.[h_{t-1}, x_t] + b_f)
    input_gate = sigmoid(z[:, 1 * H:2 * H])                  # (B, H) i_t = sigma(W_i.[h_{t-1}, x_t] + b_i)
    candidate = np.tanh(z[:, 2 * H:3 * H])                   # (B, H) C~_t = tanh(W_g.[h_{t-1}, x_t] + b_g)
    output_gate = sigmoid(z[:, 3 * H:4 * H])                 # (B, H) o_t = sigma(W_o.[h_{t-1}, x_t] + b_o)
    if clamp is not None:
        clamp.gates(forget_gate, input_gate, output_gate)    # in place
    cell = forget_gate * c_prev + input_gate * candidate     # (B, H) C_t = f_t * C_{t-1} + i_t * C~_t
    if clamp is not None:
        clamp.patch_cell(cell)                               # in place (pysim.patching)
    hidden = output_gate * np.tanh(cell)                     # (B, H) h_t = o_t * tanh(C_t)
    if clamp is not None:
        clamp.silence(cell, hidden)                          # in place
    return forget_gate, input_gate, candidate, output_gate, cell, hidden


@dataclass
class Forward:
    """What forward() computed, for backward(): every layer, step, sequence and unit (time-major,
    so that step t of a layer is one contiguous (B, H) block)."""
    x: np.ndarray            # (B, T, D) the input vectors
    f: np.ndarray            # (L, T, B, H) forget gate
    i: np.ndarray            # (L, T, B, H) input gate
    g: np.ndarray            # (L, T, B, H) candidate C~
    o: np.ndarray            # (L, T, B, H) output gate
    c: np.ndarray            # (L, T + 1, B, H) memory cell; c[:, 0] is C_{-1} (c0)
    h: np.ndarray            # (L, T + 1, B, H) output; h[:, 0] is h_{-1} (h0)
    logits: np.ndarray | None = None  # (B, T, K) when the model has a head

    def layer_output(self, l: int):  # (B, T, H) h_0 .. h_{T-1} of layer l, batch-major
        return np.ascontiguousarray(self.h[l, 1:].transpose(1, 0, 2))


def forward(model, x, h0=None, c0=None, clamps=None) -> Forward:
    """Run the LSTM stack (and head) of `model` over x (B, T, D) from h0, c0 (L, B, H) (zeros
    by default); clamps: a list of pysim.model.Clamp, applied to every sequence."""
    L, (B, T, _) = len(model.layers), x.shape
    H = model.layers[0].W.shape[0] // 4
    f, i, g, o = (np.empty((L, T, B, H)) for _ in range(4))
    c, h = np.empty((L, T + 1, B, H)), np.empty((L, T + 1, B, H))
    c[:, 0] = 0.0 if c0 is None else c0
    h[:, 0] = 0.0 if h0 is None else h0
    masks = Clamps(clamps, L, T, H) if clamps else None
    inp = x                                                  # (B, T, D) input of this layer
    for l, layer in enumerate(model.layers):
        W_h, W_x = layer.W[:, :H], layer.W[:, H:]            # (4H, H), (4H, D)
        zx = inp @ W_x.T + layer.b                           # (B, T, 4H) W_x . x_t + b, all t
        f_l, i_l, g_l, o_l, c_l, h_l = f[l], i[l], g[l], o[l], c[l], h[l]  # row t: step t
        for t in range(T):
            clamp = masks.at(l, t) if masks else None
            f_l[t], i_l[t], g_l[t], o_l[t], c_l[t + 1], h_l[t + 1] = step(
                W_h, zx[:, t], h_l[t], c_l[t], clamp)
        inp = h_l[1:].transpose(1, 0, 2)                     # (B, T, H) feeds the next layer
    fw = Forward(x=x, f=f, i=i, g=g, o=o, c=c, h=h)
    if model.head_W is not None:
        fw.logits = fw.layer_output(L - 1) @ model.head_W.T + model.head_b  # (B, T, K)
    return fw


def backward(model, fw: Forward, dlogits, ids=None):
    """Backprop through time, mirroring forward() line by line, from the top layer down.

    dlogits: (B, T, K) dL/dlogits; ids: (B, T) token ids, for the embedding's gradient.
    Returns (grads, dc): grads keyed by pysim names (Model.parameters: "embedding", "W_l",
    "b_l", "head_W", "head_b"), and dc (L, T, B, H) = dL/dC_t, the total derivative of the loss
    with respect to each memory cell.
    """
    L, T, B, H = fw.f.shape
    top = fw.layer_output(L - 1)                             # (B, T, H)
    grads = {"head_W": np.einsum("btk,bth->kh", dlogits, top),  # logits = h head_W^T + head_b
             "head_b": dlogits.sum(axis=(0, 1))}
    dh_out = dlogits @ model.head_W                          # (B, T, H) dL/dh_t via the head
    dc = np.empty((L, T, B, H))
    for l in reversed(range(L)):
        layer = model.layers[l]
        W_h, W_x = layer.W[:, :H], layer.W[:, H:]            # (4H, H), (4H, D)
        inp = fw.x if l == 0 else fw.layer_output(l - 1)     # (B, T, D) this layer's input
        f_l, i_l, g_l, o_l, c_l = fw.f[l], fw.i[l], fw.g[l], fw.o[l], fw.c[l]
        dz = np.empty((B, T, 4 * H))                         # (B, T, 4H) dL/dz [f | i | g | o]
        dhidden_next = np.zeros((B, H))                      # dL/dh_t through step t+1
        dcell_next = np.zeros((B, H))                        # dL/dC_t through step t+1
        for t in reversed(range(T)):
            forget_gate, input_gate, candidate, output_gate = f_l[t], i_l[t], g_l[t], o_l[t]
            c_prev, tanh_c = c_l[t], np.tanh(c_l[t + 1])
            dhidden = dh_out[:, t] + dhidden_next            # h_t feeds the output and step t+1
            doutput_gate = dhidden * tanh_c                  # h_t = o_t * tanh(C_t)
            dcell = dcell_next + dhidden * output_gate * (1.0 - tanh_c ** 2)
            dforget_gate = dcell * c_prev                    # C_t = f_t * C_{t-1} + i_t * g_t
            dinput_gate = dcell * candidate
            dcandidate = dcell * input_gate
            dcell_next = dcell * forget_gate
            dz[:, t, 0 * H:1 * H] = dforget_gate * forget_gate * (1.0 - forget_gate)  # sigma' = s (1 - s)
            dz[:, t, 1 * H:2 * H] = dinput_gate * input_gate * (1.0 - input_gate)
            dz[:, t, 2 * H:3 * H] = dcandidate * (1.0 - candidate ** 2)              # tanh' = 1 - tanh^2
            dz[:, t, 3 * H:4 * H] = doutput_gate * output_gate * (1.0 - output_gate)
            dhidden_next = dz[:, t] @ W_h                    # z_t = W_h h_{t-1} + W_x x_t + b
            dc[l, t] = dcell
        h_prev = fw.h[l, :-1].transpose(1, 0, 2)             # (B, T, H) h_{t-1}
        hx = np.concatenate([h_prev, inp], axis=2)           # (B, T, H + D) [h_{t-1} | x_t]
        grads[f"W_{l}"] = dz.reshape(B * T, 4 * H).T @ hx.reshape(B * T, -1)  # (4H, H + D)
        grads[f"b_{l}"] = dz.sum(axis=(0, 1))                # (4H,)
        dh_out = dz @ W_x                                    # (B, T, D) dL/dh of the layer below
    if model.embedding is not None and ids is not None:
        dembedding = np.zeros_like(model.embedding)          # (V, D)
        np.add.at(dembedding, ids.ravel(), dh_out.reshape(-1, dh_out.shape[-1]))  # x_t = embedding[id_t]
        grads["embedding"] = dembedding
    return grads, dc


def softmax(z):  # (T, K) -> (T, K), rows sum to 1
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(z):  # (..., K) -> (..., K)
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def loss_and_grads(model, x, tags, mask, ids=None):
    """Mean cross-entropy over the real tokens of a padded batch, and its gradients.

    x (B, T, D) input vectors; tags (B, T) int; mask (B, T): True/1 for real tokens, 0 for
    padding (padding sits at the end, so it never changes the real steps, and its masked-out
    loss sends no gradient back); a float mask weighs tokens (loss = sum(w * CE) / sum(w)).
    ids (B, T): token ids, for the embedding's gradient.
    Returns (loss, grads by pysim names, logits (B, T, K)).
    """
    fw = forward(model, x)
    mask = mask.astype(np.float64)
    n = mask.sum()
    logp = log_softmax(fw.logits)                            # (B, T, K)
    picked = np.take_along_axis(logp, tags[..., None], axis=2)[..., 0]
    loss = -(picked * mask).sum() / n
    dlogits = np.exp(logp)                                   # p - onehot(y), on real tokens only
    np.put_along_axis(dlogits, tags[..., None],
                      np.take_along_axis(dlogits, tags[..., None], axis=2) - 1.0, axis=2)
    dlogits *= mask[..., None] / n
    grads, _ = backward(model, fw, dlogits, ids)
    return float(loss), grads, fw.logits


def gradient_flow(model, inputs, target=None):
    """How far back the loss of the LAST step reaches: ||dL_T/dC_t|| for t = 0..T-1.

    L_T = -log p_T(target) at the last step only (target: tag name or index; default the
    model's own prediction at the last step). Returns (L, T) norms, one row per layer.
    Compare with rnn.gradient_flow (a plain tanh RNN of the same size on the same inputs).
    """
    _, _, x = model.embed(inputs)
    if x.shape[0] == 0:
        raise ValueError("cannot compute a gradient over an empty sequence")
    if model.head_W is None:
        raise ValueError("this model has no softmax head, so it has no loss")
    fw = forward(model, x[None])                             # a batch of one
    p = softmax(fw.logits[0])                                # (T, K)
    y = int(np.argmax(p[-1])) if target is None else int(model.tag_ids([target], 1)[0])
    dlogits = np.zeros_like(fw.logits)                       # (1, T, K) zero: no loss before T
    dlogits[0, -1] = p[-1]
    dlogits[0, -1, y] -= 1.0
    _, dc = backward(model, fw, dlogits)
    return np.linalg.norm(dc[:, :, 0], axis=-1)              # (L, T)


class Clamps:
    """Clamps (pysim.model.Clamp) as per-gate (L, T, H) masks and values, and a "zero" mask;
    patches (pysim.patching.Patch, gate "patch") as masks and values of C ("pc") and h ("ph")."""

    def __init__(self, clamps, L: int, T: int, H: int):
        self.masks = {k: np.zeros((L, T, H), dtype=bool) for k in ("f", "i", "o", "zero", "pc", "ph")}
        self.values = {k: np.zeros((L, T, H)) for k in ("f", "i", "o", "pc", "ph")}
        for cl in clamps:
            if not 0 <= cl.layer < L:
                raise ValueError(f"clamp layer {cl.layer} does not exist (the model has {L})")
            if cl.unit is not None and not 0 <= cl.unit < H:
                raise ValueError(f"clamp unit {cl.unit} does not exist (layers have {H} units)")
            if cl.gate == "patch":                           # C (and h) of one unit at step t
                if not 0 <= cl.t < T:
                    raise ValueError(f"patch step {cl.t} does not exist (the text has {T} steps)")
                for key, value in (("pc", cl.c), ("ph", cl.h)):
                    if value is not None:
                        self.masks[key][cl.layer, cl.t, cl.unit] = True
                        self.values[key][cl.layer, cl.t, cl.unit] = value
                continue
            sel = (slice(cl.layer, cl.layer + 1), slice(cl.t0, cl.t1 + 1),
                   slice(None) if cl.unit is None else slice(cl.unit, cl.unit + 1))
            self.masks[cl.gate][sel] = True
            if cl.gate != "zero":
                self.values[cl.gate][sel] = cl.value

    def at(self, l: int, t: int) -> "StepClamp":
        return StepClamp(self, l, t)


@dataclass
class StepClamp:
    """The clamps of layer l at step t; gates/cells of shape (H,) or (B, H), changed in place."""
    clamps: Clamps
    l: int
    t: int

    def gates(self, f_t, i_t, o_t):
        """Overwrite the clamped units of the gates."""
        m, v, l, t = self.clamps.masks, self.clamps.values, self.l, self.t
        for name, gate in (("f", f_t), ("i", i_t), ("o", o_t)):
            np.copyto(gate, v[name][l, t], where=m[name][l, t])

    def patch_cell(self, c_t):
        """Overwrite the patched units' memory cell (before h_t = o_t * tanh(C_t) reads it)."""
        m = self.clamps.masks["pc"][self.l, self.t]
        if m.any():
            np.copyto(c_t, self.clamps.values["pc"][self.l, self.t], where=m)

    def silence(self, c_t, h_t):
        """Set the cell and output of the silenced ("zero") units to 0; then overwrite the
        output of the units whose h is patched."""
        zero = self.clamps.masks["zero"][self.l, self.t]
        if zero.any():
            c_t[..., zero] = 0.0
            h_t[..., zero] = 0.0
        m = self.clamps.masks["ph"][self.l, self.t]
        if m.any():
            np.copyto(h_t, self.clamps.values["ph"][self.l, self.t], where=m)
