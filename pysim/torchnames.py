"""PyTorch's names and layout <-> pysim's, both ways.

Reading, to_pysim: PyTorch module names -> pysim's roles embedding / lstm / head (the rules:
pysim.io's docstring). A state_dict name is <module>.<parameter>; the module may be nested
("model.encoder"). pysim's own names are embedding.weight, lstm.<param>_l{k}, head.weight /
head.bias; a bare nn.LSTM's keys (weight_ih_l0, ...) have no module. Other module names are
mapped by `names` ({"emb": "embedding", "encoder": "lstm", "fc": "head"}, or
"emb=embedding,encoder=lstm,fc=head") or detected by structure when only one assignment fits:

    lstm       the one module with weight_ih_l0 / weight_hh_l0 / ...
    embedding  a module with only a 2-D weight whose width is the LSTM's input width
    head       a module with a 2-D weight (K, H) (H = the LSTM's units) and optionally bias (K,)

Writing, torch_names: pysim-named arrays (Model.parameters, or their gradients) -> a state_dict's
names and layout, what pysim.io saves and Model.loss_and_grads returns. swap_fi converts the
gate order of a row block: pysim's (f, i, g, o) <-> PyTorch's (i, f, g, o) (pysim.arrays reads
a file's LSTM weights back with it).
"""
from __future__ import annotations

import re

import numpy as np

from .npzfile import ModelFileError

ROLES = ("embedding", "lstm", "head")
LSTM_PARAM = re.compile(r"^(weight|bias)_(ih|hh|hr)_l\d+(_reverse)?$")
EXPECTED = ("pysim expects embedding.weight (V, E) (optional), lstm.weight_ih_l0 ... (one "
            "nn.LSTM), head.weight (K, H) and head.bias (optional)")
HOW = ('map them: pysim.load(path, names={"emb": "embedding", "encoder": "lstm", "fc": '
       '"head"}), or on the command line --names emb=embedding,encoder=lstm,fc=head')


def parse_names(names) -> dict:
    """None, a dict or "a=embedding,b=lstm,c=head" -> {module: role}, checked."""
    if names is None:
        return {}
    if isinstance(names, str):
        pairs = {}
        for part in filter(None, (p.strip() for p in names.split(","))):
            module, eq, role = part.partition("=")
            if not eq:
                raise ModelFileError(f"names: {part!r} is not module=role (e.g. fc=head)")
            pairs[module.strip()] = role.strip()
        names = pairs
    if not isinstance(names, dict):
        raise ModelFileError("names must be a dict {module: role} or 'module=role,...'")
    out = {}
    for module, role in names.items():
        if not isinstance(module, str) or role not in ROLES:
            raise ModelFileError(f"names: {module!r}={role!r}: the role must be one of "
                                 f"{', '.join(ROLES)}")
        if role in out.values() and role != "lstm":
            raise ModelFileError(f"names: two modules are mapped to {role!r}")
        out[module] = role
    return out


def _split(name: str):
    module, dot, param = name.rpartition(".")
    return (module, param) if dot else ("", name)


def modules(arrays: dict) -> dict:
    """{module: {param: array}} in file order (meta left out)."""
    out: dict = {}
    for name, a in arrays.items():
        if name != "meta":
            module, param = _split(name)
            out.setdefault(module, {})[param] = a
    return out


def describe(mods: dict) -> str:
    parts = []
    for m, params in mods.items():
        shown = ", ".join(f"{p} {tuple(np.shape(a))}" for p, a in params.items())
        parts.append(f"{m or '(no module)'}: {shown}")
    return "; ".join(parts)


def _refuse(mods: dict, why: str) -> ModelFileError:
    return ModelFileError(f"{why}. The file's modules: {describe(mods)}. {EXPECTED}. To use "
                          f"other names, {HOW}")


def _fits(role: str, params: dict, D: int, H: int) -> bool:
    w = params.get("weight")
    if w is None or np.ndim(w) != 2:
        return False
    if role == "embedding":
        return set(params) == {"weight"} and np.shape(w)[1] == D
    b = params.get("bias")
    return (set(params) <= {"weight", "bias"} and np.shape(w)[1] == H
            and (b is None or np.shape(b) == (np.shape(w)[0],)))


def to_pysim(arrays: dict, names=None):
    """PyTorch-named arrays with any module names -> (pysim-named arrays, {pysim name: file
    name}). Raises ModelFileError listing the modules found when the roles cannot be told."""
    mapping = parse_names(names)
    mods = modules(arrays)
    for m in mapping:
        if m not in mods:
            raise _refuse(mods, f"names: the file has no module {m!r}")
    roles = {m: r for m, r in mapping.items()}
    for m, params in mods.items():
        if m in roles:
            continue
        if m in ("embedding", "head") or m == "lstm":
            roles[m] = m
        elif any(LSTM_PARAM.match(p) for p in params):
            roles[m] = "lstm"
    for role in ("embedding", "head"):
        twice = [m for m, r in roles.items() if r == role]
        if len(twice) > 1:
            raise _refuse(mods, f"{' and '.join(map(repr, twice))} would both be the {role}")
    lstm = [m for m, r in roles.items() if r == "lstm"]
    if len(lstm) != 1:
        why = ("no LSTM weights in the file (no module has weight_ih_l0, weight_hh_l0, ...)"
               if not lstm else
               f"{len(lstm)} modules hold LSTM weights ({', '.join(map(repr, lstm))}): pysim "
               "reads one nn.LSTM (num_layers stacks its layers)")
        raise _refuse(mods, why)
    lp = mods[lstm[0]]
    wih, whh = lp.get("weight_ih_l0"), lp.get("weight_hh_l0")
    D = np.shape(wih)[1] if wih is not None and np.ndim(wih) == 2 else None
    H = np.shape(whh)[1] if whh is not None and np.ndim(whh) == 2 else None
    rest = [m for m in mods if m not in roles]
    taken = set(roles.values())
    options = [r for r in ("embedding", "head") if r not in taken]
    fits = {m: [r for r in options if _fits(r, mods[m], D, H)] for m in rest}
    for m in rest:
        if not fits[m]:
            first = next(n for n in arrays if n != "meta" and _split(n)[0] == m)
            raise _refuse(mods, f"array {first!r}: not a pysim model array (no role left "
                                "fits its shapes)")
    assignments = [{}]
    for m in rest:
        assignments = [{**a, m: r} for a in assignments for r in fits[m] if r not in a.values()]
    if rest and len(assignments) != 1:
        why = (f"cannot tell what {', '.join(map(repr, rest))} "
               f"{'is' if len(rest) == 1 else 'are'}: "
               + ("no assignment of embedding / head fits their shapes" if not assignments
                  else "more than one assignment of embedding / head fits their shapes"))
        raise _refuse(mods, why)
    roles.update(assignments[0] if rest else {})
    out, origin = {}, {}
    for name, a in arrays.items():
        if name == "meta":
            out[name] = a
            continue
        module, param = _split(name)
        new = {"lstm": f"lstm.{param}", "embedding": f"embedding.{param}",
               "head": f"head.{param}"}[roles[module]]
        out[new] = a
        origin[new] = name
    return out, origin


# ---- pysim -> PyTorch: names, layout and gate order --------------------------------------------

def swap_fi(a, H: int):
    """Swap the first two row blocks: pysim's (f, i, g, o) <-> PyTorch/Keras (i, f, g, o).

    Its own inverse. Works on (4H, ...) arrays and (4H,) vectors.
    """
    return np.concatenate([a[H:2 * H], a[0:H], a[2 * H:]], axis=0)


def torch_names(arrays: dict, H: int, grads: bool = False) -> dict:
    """pysim-named arrays -> PyTorch state_dict names and layout (float64 numpy arrays).

    W_l (4H, H + D) [f; i; g; o] becomes lstm.weight_hh_l{l} (4H, H) and lstm.weight_ih_l{l}
    (4H, D), rows in (i, f, g, o). pysim keeps one bias b = bias_ih + bias_hh: parameters are
    written as bias_ih = b, bias_hh = 0; gradients as bias_ih = bias_hh = db (both get dL/db).
    """
    out = {}
    if arrays.get("embedding") is not None:
        out["embedding.weight"] = arrays["embedding"]
    l = 0
    while f"W_{l}" in arrays:
        W, b = arrays[f"W_{l}"], arrays[f"b_{l}"]
        out[f"lstm.weight_ih_l{l}"] = swap_fi(W[:, H:], H)
        out[f"lstm.weight_hh_l{l}"] = swap_fi(W[:, :H], H)
        out[f"lstm.bias_ih_l{l}"] = swap_fi(b, H)
        out[f"lstm.bias_hh_l{l}"] = swap_fi(b, H) if grads else np.zeros_like(b)
        l += 1
    if arrays.get("head_W") is not None:
        out["head.weight"] = arrays["head_W"]
        out["head.bias"] = arrays["head_b"]
    return out
