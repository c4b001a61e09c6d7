"""web/variants.py and web/variants.js: a patch applied to the base document gives the variant (the
same JSON up to model ids), in Python and in the page's JavaScript (node runs web/variants.js);
patches of different axes compose; a variant that changes structure is refused."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from bokeh.embed import json_item
from bokeh.models import Div, Paragraph, Title
from bokeh.layouts import column
from bokeh.plotting import figure

from web import variants

ROOT = Path(__file__).resolve().parents[2]


def canonical(item):
    """The JSON with model ids renamed in order of first appearance (two builds differ only there)."""
    names: dict[str, str] = {}

    def walk(x):
        if isinstance(x, dict):
            out = {}
            for k, v in x.items():
                if k in ("id", "root_id") and isinstance(v, str):
                    out[k] = names.setdefault(v, f"m{len(names)}")
                else:
                    out[k] = walk(v)
            return out
        if isinstance(x, list):
            return [walk(v) for v in x]
        return x
    return walk(json.loads(json.dumps(item)))


def small(options):
    """A document like the page's: a figure (title, glyph colours, a data column), a Div."""
    dark, zh = options.get("theme") == "dark", options.get("lang") == "zh"
    fig = figure(title="遗忘门" if zh else "forget gate", height=100, width=200,
                 background_fill_color="#16191f" if dark else "#ffffff")
    fig.scatter([1, 2], [3, 4], color=["#56B4E9", "#e3e6ec"] if dark else ["#0072B2", "#000000"])
    fig.add_layout(Title(text="单元" if zh else "unit",
                         text_color="#e3e6ec" if dark else "#1d2330"), "below")
    layout = column(fig, Div(text="输入门" if zh else "input gate"))
    return {"main": json_item(layout, "root")}


def test_patch_applied_to_base_gives_variant():
    base = small({})["main"]
    dark = small({"theme": "dark"})["main"]
    patch = variants.diff(base, dark)
    assert patch, "the variant differs"
    assert all(isinstance(mid, str) and path for mid, path, _ in patch)
    # only values that differ travel: the patch is a small fraction of the document
    assert len(json.dumps(patch)) < len(json.dumps(base)) / 5
    assert canonical(variants.apply(base, patch)) == canonical(dark)
    assert canonical(variants.apply(base, [])) == canonical(base)
    assert canonical(base) != canonical(dark)


def test_patches_compose():
    base, patches = variants.build(small, {"theme": ["dark"], "lang": ["zh"]})
    both = small({"theme": "dark", "lang": "zh"})["main"]
    for order in (["lang:zh", "theme:dark"], ["theme:dark", "lang:zh"]):
        item = base["main"]
        for name in order:
            item = variants.apply(item, patches[name]["main"])
        assert canonical(item) == canonical(both)


def test_option_is_the_build_under_way():
    seen = []
    variants.build(lambda o: seen.append(variants.option("theme", "light")) or small(o),
                   {"theme": ["dark"]})
    assert seen == ["light", "dark"]
    assert variants.option("theme", "light") == "light"


def test_structure_changes_are_refused():
    def make(options):
        kids = [Div(text="a")] + ([Div(text="b")] if options else [])
        return {"main": json_item(column(*kids), "root")}
    with pytest.raises(ValueError, match="lists of models of different lengths"):
        variants.build(make, {"theme": ["dark"]})

    def retyped(options):
        return {"main": json_item(column(Paragraph(text="a") if options else Div(text="a")), "root")}
    with pytest.raises(ValueError, match="Div in the base, Paragraph in the variant"):
        variants.build(retyped, {"theme": ["dark"]})


def test_clashing_patches_are_refused():
    def make(options):  # both axes change the same title
        return {"main": json_item(figure(title=str(sorted(options.items())), height=50,
                                         width=50), "root")}
    with pytest.raises(ValueError, match="both change main"):
        variants.build(make, {"theme": ["dark"], "lang": ["zh"]})


def test_page_variants_and_the_browsers_apply():
    """The page's own documents: each variant patch, applied by Python and by web/variants.js
    (node), gives the document built for that variant."""
    from pysim import presets
    from web.documents import VARIANTS, page_item, page_items
    name = presets.NAMES[0]
    args = (presets.NAMES, name, presets.default_text(name), presets.ARTICLE_SENTENCES)
    base, patches = page_items(*args)
    assert set(patches) == {f"{a}:{v}" for a, vs in VARIANTS.items() for v in vs}
    script = ("import { applyVariants } from './web/variants.js';"
              "import { readFileSync } from 'node:fs';"
              "const [items, all, names] = JSON.parse(readFileSync(0, 'utf8'));"
              "process.stdout.write(JSON.stringify(applyVariants(items, all, names)));")
    for vname, patch in patches.items():
        axis, value = vname.split(":")
        want = canonical(page_item(*args, {axis: value}))
        got = {k: variants.apply(base[k], patch[k]) for k in base}
        assert canonical(got) == want
        run = subprocess.run(["node", "--input-type=module", "-e", script], cwd=ROOT,
                             input=json.dumps([base, patches, [vname, "lang:none"]]),
                             capture_output=True, text=True, check=True)
        assert canonical(json.loads(run.stdout)) == want
