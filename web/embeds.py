"""Embeds: what a blog author puts in a post, drawn from the first paint as its author chose.

- Prepared embeds: embeds.json (at the repository's root) lists the embeds of a site, each
  {"text", "preset", "t", "unit", "layer", "views"} (only "text" is required). build.py computes
  each one's trace natively (pysim, float64; the JSON keeps every bit) into
  dist/traces/<sha256 of the trace, 16 hex>.json and tells the page which (preset, text) it has
  (boot["prepared"]: {preset: {text: path}}). A page whose URL asks for a prepared text fetches
  that small file (~3-6 KB) and draws it before Python is up; any other text shows its words at
  once, its views marked as computing. The article's two sentences are prepared by default.
- `python build.py embed TEXT [--preset P] [--t T] [--unit U] [--layer L] [--views V]` adds an
  embed to embeds.json, prints its iframe snippet and rebuilds the site (`--no-build`: not).
- The views vocabulary (`&views=`, VIEWS): which parts of the page an embed shows. The page
  (web/viewset.js) hides every named part the list leaves out; `views` absent: the whole page.
"""
from __future__ import annotations

import hashlib
import html
import json
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "embeds.json"
FIELDS = ("text", "preset", "t", "unit", "layer", "views")  # in the order of the URL

# ---- the views vocabulary -------------------------------------------------------------------
# name -> the Bokeh models (by name, web/page.py and web/panels/) it shows
VIEWS = {
    "text": ["row_text", "row_article"],  # the model menu, the text box, the article's examples
    "steps": ["row_steps"],               # start, back, play, step, the step slider, speed, unit
    "tokens": ["tok_fig"],                # the words with their predicted tags
    "f": ["fig_f"], "i": ["fig_i"], "o": ["fig_o"],  # one heatmap each (unit x step)
    "g": ["fig_g"], "c": ["fig_c"], "h": ["fig_h"],
    "unit": ["unit_fig"],                 # one unit's f, i, o, C and h over time
    "probs": ["probs_fig"],               # the tag probabilities
    "diagram": ["panel_diagram"],         # the cell diagram tab alone (no tab bar)
}
ALIASES = {"gates": ["f", "i", "o"], "heatmaps": ["f", "i", "o", "g", "c", "h"],
           "all": list(VIEWS)}
# the rows that hold them: hidden when none of their parts shows
CONTAINERS = {"heatmaps": [f"fig_{k}" for k in "fiogch"], "row_lines": ["unit_fig", "probs_fig"]}
# about how tall each part is (px, web/page.py), for the snippet's first height (the embed then
# says its own, embed.js sets it)
HEIGHTS = {"text": 100, "steps": 60, "tokens": 110, "heat_row": 190, "lines_row": 260,
           "diagram": 470, "chrome": 100}


def parse_views(spec: str) -> list[str]:
    """'c,h' -> ['c', 'h'] (aliases expanded, order kept, no repeats); ValueError on a word the
    vocabulary lacks."""
    out = []
    for word in (w.strip() for w in spec.split(",")):
        if not word:
            continue
        names = ALIASES.get(word, [word])
        for name in names:
            if name not in VIEWS:
                known = ", ".join(list(VIEWS) + list(ALIASES))
                raise ValueError(f"unknown view {word!r}: choose from {known}")
            if name not in out:
                out.append(name)
    if not out:
        raise ValueError("views= names no view")
    return out


def views_boot() -> dict:
    """What web/viewset.js reads (boot["views"])."""
    return {"views": VIEWS, "aliases": ALIASES, "containers": CONTAINERS}


def estimate_height(views: list[str] | None) -> int:
    if not views:
        return 1600
    h = HEIGHTS["chrome"] + sum(HEIGHTS[v] for v in ("text", "steps", "tokens", "diagram")
                                if v in views)
    h += HEIGHTS["heat_row"] * (any(v in views for v in "fio") + any(v in views for v in "gch"))
    h += HEIGHTS["lines_row"] * any(v in views for v in ("unit", "probs"))
    return h


# ---- embeds.json ----------------------------------------------------------------------------
def default_embeds() -> list[dict]:
    from pysim.presets import ARTICLE_SENTENCES
    return [{"text": s} for s in ARTICLE_SENTENCES]


def load_config(path: Path | None = None) -> list[dict]:
    """The site's embeds (embeds.json; the article's two sentences when there is none)."""
    path = path or CONFIG
    if not path.exists():
        return default_embeds()
    embeds = json.loads(path.read_text(encoding="utf-8"))["embeds"]
    return [normalise(e) for e in embeds]


def normalise(embed: dict) -> dict:
    """An embed with its fields checked: a known preset, a text with words, whole numbers for
    t/unit/layer, views in the vocabulary (ValueError otherwise)."""
    from pysim import presets
    from pysim.text import words
    unknown = set(embed) - set(FIELDS)
    if unknown:
        raise ValueError(f"an embed has unknown fields {sorted(unknown)}: use {', '.join(FIELDS)}")
    out = {"text": str(embed.get("text", ""))}
    if not words(out["text"])[0]:
        raise ValueError("an embed's text has no words")
    if embed.get("preset") is not None:
        if embed["preset"] not in presets.NAMES:
            raise ValueError(f"unknown preset {embed['preset']!r}: choose one of "
                             f"{', '.join(presets.NAMES)}")
        out["preset"] = embed["preset"]
    for key in ("t", "unit", "layer"):
        if embed.get(key) is not None:
            value = int(embed[key])
            if value < 0:
                raise ValueError(f"{key} must be 0 or more")
            out[key] = value
    if embed.get("views"):
        out["views"] = ",".join(parse_views(str(embed["views"])))
    return out


def add_to_config(embed: dict, path: Path | None = None) -> list[dict]:
    path = path or CONFIG
    embeds = load_config(path)
    embed = normalise(embed)
    if embed not in embeds:
        embeds.append(embed)
    path.write_text(json.dumps({"embeds": embeds}, indent=1, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return embeds


# ---- the built site's traces and the snippet ------------------------------------------------
def write_traces(out: Path, embeds: list[dict], default_preset: str, skip=()) -> dict:
    """dist/traces/<hash>.json for each embed's (preset, text), computed by native pysim;
    returns boot["prepared"] ({preset: {text: path}}). `skip`: (preset, text) pairs the boot
    data carries already."""
    from pysim import presets
    from pysim.traces import trace_json
    prepared: dict[str, dict[str, str]] = {}
    models = {}
    for e in embeds:
        preset = e.get("preset", default_preset)
        if (preset, e["text"]) in skip or e["text"] in prepared.get(preset, {}):
            continue
        model = models.setdefault(preset, presets.load(preset))
        data = json.dumps(trace_json(model, e["text"]), separators=(",", ":")).encode()
        name = f"traces/{hashlib.sha256(data).hexdigest()[:16]}.json"
        (out / "traces").mkdir(exist_ok=True)
        (out / name).write_bytes(data)
        prepared.setdefault(preset, {})[e["text"]] = name
    return prepared


def query(embed: dict) -> str:
    params = [("embed", "")] + [(k, str(embed[k])) for k in FIELDS if k in embed]
    return "&".join(k if v == "" else f"{k}={urllib.parse.quote(v, safe=',')}" for k, v in params)


def snippet(embed: dict, base: str = "https://YOUR-HOST/pysim/") -> str:
    """The HTML a blog post carries: the iframe and the script that sizes it (embed.js)."""
    views = parse_views(embed["views"]) if embed.get("views") else None
    src = html.escape(f"{base}?{query(embed)}")
    title = html.escape(f"pysim: an LSTM reads \u201c{embed['text']}\u201d")
    return (f'<iframe src="{src}" title="{title}" width="100%" '
            f'height="{estimate_height(views)}" style="border:0" loading="lazy"></iframe>\n'
            f'<script src="{html.escape(base)}embed.js" async></script>')
