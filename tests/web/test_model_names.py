"""Every BokehJS model the JavaScript looks up by name (`m("...")`, `model("...")`,
`pysim.model("...")`, lists of names mapped through `m`, `fig_${k}`-style templates) exists in
the Python layout (web/page.py and web/panels/), so a renamed model fails here, not in a browser."""
from __future__ import annotations

import re
from pathlib import Path

from web import page

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "web").rglob("*.js")) + sorted((ROOT / "benchmarks" / "pages").rglob("*.js")) \
    + sorted(p for p in (ROOT / "tests").rglob("*.py") if p.name != "test_model_names.py")

CALL = re.compile(r"""(?<![\w.])(?:m|model|pysim\.model)\(\s*(["'])([\w-]+)\1\s*\)""")
TEMPLATE = re.compile(r"""(?<![\w.])(?:m|model|pysim\.model)\(\s*`([^`]*)`\s*\)""")
# ["a", "b"].map(m), ["a", "b"].map((k) => [k, m(k)]) and the like
LIST = re.compile(r"""\[((?:\s*"[\w-]+"\s*,?)+)\]\s*\.map\(\s*(?:m\s*\)|\(?\w+\)?\s*=>[^;]*?\bm\(\w+\))""")


def layout_names() -> set[str]:
    item = page.build_layout(["beijing"], "beijing", "arrive Beijing", ("a b", "c d"))
    names = set()
    for root in (item, page.build_panels()):
        names |= {obj.name for obj in root.references() if obj.name}
    return names


def lookups(text: str) -> tuple[set[str], set[str]]:
    """The names one source looks up, and its templates as regular expressions."""
    found = {m.group(2) for m in CALL.finditer(text)}
    for lst in LIST.finditer(text):
        found |= set(re.findall(r'"([\w-]+)"', lst.group(1)))
    templates = {"".join(".+" if part.startswith("${") else re.escape(part)
                         for part in re.split(r"(\$\{[^}]*\})", m.group(1)))
                 for m in TEMPLATE.finditer(text)}
    return found, templates


def looked_up() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """({name: files}, {template regex: files}) of every lookup in the sources."""
    names, templates = {}, {}
    for path in SOURCES:
        found, patterns = lookups(path.read_text(encoding="utf-8"))
        rel = path.relative_to(ROOT).as_posix()
        for name in found:
            names.setdefault(name, set()).add(rel)
        for pattern in patterns:
            templates.setdefault(pattern, set()).add(rel)
    return names, templates


def test_every_model_name_the_javascript_looks_up_is_in_the_layout():
    have = layout_names()
    names, templates = looked_up()
    # the scan finds the lookups of each kind (a broken pattern would pass vacuously)
    assert {"cells", "diagram_fig", "clamp_gate", "train_task", "article_gap", "panels"} <= set(names)
    assert "fig_.+" in templates
    missing = {n: sorted(files) for n, files in names.items() if n not in have}
    assert not missing, f"looked up by name but not in the layout: {missing}"
    for pattern, files in templates.items():
        assert any(re.fullmatch(pattern, n) for n in have), (pattern, sorted(files))


def test_the_scan_reads_each_kind_of_lookup():
    js = """const a = m("fig_f"), b = pysim.model('tok_fig');
    const w = Object.fromEntries(["clamp_add", "clamp_clear"]
      .map((k) => [k, m(k)]));
    const figs = ["delta_c_fig", "gflow_fig"].map(m);
    const heat = HEAT.map((k) => m(`fig_${k}`)); x.m("not_a_lookup"); const s = ["not", "either"];"""
    names, templates = lookups(js)
    assert names == {"fig_f", "tok_fig", "clamp_add", "clamp_clear", "delta_c_fig", "gflow_fig"}
    assert templates == {"fig_.+"}
