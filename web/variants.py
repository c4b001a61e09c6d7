"""Variants of the page's Bokeh documents (dark theme, Chinese labels, ...) shipped as small patches
of the one base document, not as whole copies (the base is ~150 KB of index.html).

How it works. The layout code builds the documents twice in the same process: once as the base
(light, English) and once as a variant (e.g. dark). Both builds have the same structure (the same
models in the same order, the same attribute sets); only values differ (colours, words). `diff`
walks the two serialized `json_item`s in parallel (model ids differ between the builds: the walk
pairs them up by position) and returns a patch: the values of the variant where it differs from
the base, addressed by the BASE model's id. web/variants.js applies patches to the base JSON in the
browser before `Bokeh.embed.embed_item`; `apply` here is the same in Python (tests: applying a
patch to the base gives the variant, up to model ids).

A patch is a list of edits `[model_id, path, value]`: `path` starts with an attribute name of
model `model_id` and goes on with dict keys (strings) and list indices (numbers) into that
attribute's JSON value (the entries of serialized maps, e.g. a ColumnDataSource's `data`, are
lists of [key, value] pairs: their index is stable since page.py sorts them). `value` replaces
what is at `path`, or adds it when the base lacks the attribute. Lists of plain values (a palette,
a data column) are replaced whole; lists that hold models, dicts and lists are walked into.

Patches compose: edits of different variants (zh then dark) apply one after the other to the base,
as long as no edit's path is a prefix of another's. `build` checks that for every pair of variants
of different axes and stops the build (ValueError naming the clash) otherwise.

Structure that differs (a model in one build that the other lacks, or of another type, a list of
models of another length) is refused with a ValueError naming the path: variants change values,
not structure (add the model to both builds and let the variant change its attributes).

API:
    diff(base_item, variant_item) -> patch         # json_item dicts
    apply(item, patch) -> item                     # a patched deep copy
    build(make, axes) -> (base_items, variants)
        make(options) -> {key: json_item}: the page's documents for `options`, e.g.
            {"theme": "dark"}; make({}) is the base. `axes`: {axis: [value, ...]} of the
            variants, e.g. {"theme": ["dark"], "lang": ["zh"]}.
        variants: {"theme:dark": {key: patch}, "lang:zh": {key: patch}} -> boot["variants"]
    option(name, default) -> the option of the build under way (inside `make`, for code deep in
        the layout that has no parameter for it), e.g. option("theme", "light").

In the browser (web/variants.js): applyVariants(items, boot.variants, ["lang:zh", "theme:dark"]).
"""
from __future__ import annotations

import contextvars
import copy
import json

_OPTIONS: contextvars.ContextVar[dict] = contextvars.ContextVar("pysim_variant", default={})


def option(name: str, default=None):
    """The option `name` of the documents being built by `build` (default outside a variant)."""
    return _OPTIONS.get().get(name, default)


# ---- diff -----------------------------------------------------------------------------------
def _has_model(x) -> bool:
    if isinstance(x, dict):
        return "id" in x or any(_has_model(v) for v in x.values())
    if isinstance(x, list):
        return any(_has_model(v) for v in x)
    return False


def _plain_list(x) -> bool:
    return isinstance(x, list) and all(not isinstance(v, (dict, list)) for v in x)


class _Differ:
    def __init__(self):
        self.ids: dict[str, str] = {}  # variant id -> base id
        self.edits: list = []

    def model(self, b: dict, v: dict, where: str):
        if "id" not in v:
            raise ValueError(f"{where}: a model in the base, not in the variant")
        seen = self.ids.setdefault(v["id"], b["id"])
        if seen != b["id"]:
            raise ValueError(f"{where}: variant model {v['id']} pairs with {seen} and {b['id']}")
        if ("name" in b) != ("name" in v) or b.get("name") != v.get("name"):
            raise ValueError(f"{where}: {b.get('name', 'a reference')} in the base, "
                             f"{v.get('name', 'a reference')} in the variant")
        ba, va = b.get("attributes", {}), v.get("attributes", {})
        for key in list(ba) + [k for k in va if k not in ba]:
            here = f"{where}.{b.get('name')}({b['id']}).{key}"
            if key not in va:
                raise ValueError(f"{here}: set in the base, not in the variant")
            self.value(ba.get(key, _MISSING), va[key], b["id"], [key], here)

    def value(self, b, v, mid, path, where):
        if isinstance(b, dict) and "id" in b:
            return self.model(b, v if isinstance(v, dict) else {}, where)
        if b is _MISSING or type(b) is not type(v) or _plain_list(b) or _plain_list(v):
            if b is _MISSING or b != v:
                if _has_model(b) or _has_model(v):
                    raise ValueError(f"{where}: models differ in structure")
                self.edits.append([mid, path, v])
            return
        if isinstance(b, dict):
            if set(b) != set(v):
                if _has_model(b) or _has_model(v):
                    raise ValueError(f"{where}: models differ in structure")
                self.edits.append([mid, path, v])
                return
            for k in b:
                self.value(b[k], v[k], mid, path + [k], f"{where}.{k}")
        elif isinstance(b, list):
            if len(b) != len(v):
                if _has_model(b) or _has_model(v):
                    raise ValueError(f"{where}: lists of models of different lengths")
                self.edits.append([mid, path, v])
                return
            for i, (x, y) in enumerate(zip(b, v)):
                self.value(x, y, mid, path + [i], f"{where}[{i}]")
        elif b != v:
            self.edits.append([mid, path, v])


_MISSING = object()


def diff(base: dict, variant: dict) -> list:
    """The patch that turns the json_item `base` into `variant` (see the module docstring)."""
    d = _Differ()
    broots, vroots = base["doc"]["roots"], variant["doc"]["roots"]
    if len(broots) != len(vroots):
        raise ValueError("the documents have different numbers of roots")
    for i, (b, v) in enumerate(zip(broots, vroots)):
        d.model(b, v, f"roots[{i}]")
    if d.ids.get(variant["root_id"]) != base["root_id"]:
        raise ValueError("the documents' roots do not pair up")
    for key in sorted(set(base["doc"]) | set(variant["doc"])):
        b, v = base["doc"].get(key), variant["doc"].get(key)
        if key != "roots" and isinstance(b, dict) and "id" in b:
            d.model(b, v if isinstance(v, dict) else {}, f"doc.{key}")  # e.g. doc.config
        elif key != "roots" and b != v:
            raise ValueError(f"the documents differ in doc.{key}, which patches do not carry")
    return d.edits


# ---- apply ----------------------------------------------------------------------------------
def _models(x, out: dict):
    """Every full model definition in the JSON value x, by id."""
    if isinstance(x, dict):
        if "id" in x and "name" in x:  # a definition (a reference is {"id": ...} only)
            out[x["id"]] = x
        for v in x.values():
            _models(v, out)
    elif isinstance(x, list):
        for v in x:
            _models(v, out)
    return out


def apply(item: dict, patch: list) -> dict:
    """A deep copy of the json_item `item` with the patch's edits made (web/variants.js does the
    same in place)."""
    item = copy.deepcopy(item)
    models = _models(item["doc"], {})
    for mid, path, value in patch:
        node = models[mid].setdefault("attributes", {})
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = copy.deepcopy(value)
    return item


# ---- build ----------------------------------------------------------------------------------
def _clashes(a: list, b: list) -> list:
    """The edits of b whose path is a prefix of (or starts with) the path of an edit of a."""
    paths: dict[str, list] = {}
    for m, p, _ in a:
        paths.setdefault(m, []).append(p)
    return [(m, p) for m, p, _ in b for q in paths.get(m, [])
            if p[:len(q)] == q or q[:len(p)] == p]


def build(make, axes: dict[str, list]) -> tuple[dict, dict]:
    """The base documents (make({})) and, for every value of every axis, its patches
    {"axis:value": {key: patch}} (see the module docstring)."""
    def built(options):
        token = _OPTIONS.set(dict(options))
        try:  # as the page will read it (tuples become lists)
            return json.loads(json.dumps(make(dict(options))))
        finally:
            _OPTIONS.reset(token)

    base = built({})
    variants = {}
    for axis, values in axes.items():
        for value in values:
            items = built({axis: value})
            if set(items) != set(base):
                raise ValueError(f"{axis}={value}: other documents than the base's")
            variants[f"{axis}:{value}"] = {k: diff(base[k], items[k]) for k in base}
    names = list(variants)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if a.split(":")[0] == b.split(":")[0]:
                continue  # one value per axis is chosen: never applied together
            for key in base:
                clash = _clashes(variants[a][key], variants[b][key])
                if clash:
                    raise ValueError(f"the patches {a} and {b} both change {key} {clash[:3]}")
    return base, variants
