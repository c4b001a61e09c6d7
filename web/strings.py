"""Every word the page shows, one table per language, the same keys in each: English ("en") and
Chinese ("zh", in the article's own terms: 遗忘门, 输入门, 输出门, 记忆单元 C_t, 候选值 C̃_t, 输出 h_t).

The tables are data, web/locales/<lang>.json (UTF-8, one "key": "string" a line, the keys in the
same order in every language, so a translation diffs line by line against en.json); how they are
grouped: web/locales/README.md. This module reads them when it is imported (in CPython: build.py
and the Python layout; Pyodide never imports it) and is their API:

    STRINGS[lang][key]          the tables, for LANGS ("en", "zh"); DEFAULT_LANG "en"
    text(lang, key, **values)   one string with its {placeholders} filled in
    strings()                   what the page's JavaScript gets: every key but the "*_html" ones
    placeholders(s)             the {names} in a string

build.py sends both tables to the page in the boot data (boot["strings"]); web/i18n.js picks the
language (?lang=en|zh, else the browser's: a language starting with "zh" gives zh) and formats
with t(key, {name: value}) ("{name}" in a string is replaced). The Python layout (web/page.py,
web/panels/) reads the same table with text(lang, key). tests/web/test_strings.py checks that every
language has every key, in the same order, with the same {placeholders}, and that every key the
code names exists.

Keys are grouped by where they show (status., msg., view., widget., tab.<feature>., ...). Keys
ending in "_html" hold HTML that only the build writes (index.html, Bokeh Divs): the page's
JavaScript never gets them (strings()) and writes text only.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

LANGS = ("en", "zh")
DEFAULT_LANG = "en"
LOCALES = Path(__file__).with_name("locales")  # <lang>.json: {key: string}, in the page's order


def _table(lang: str) -> dict[str, str]:
    return json.loads((LOCALES / f"{lang}.json").read_text(encoding="utf-8"))


STRINGS: dict[str, dict[str, str]] = {lang: _table(lang) for lang in LANGS}

_FIELD = re.compile(r"\{(\w+)\}")


def placeholders(s: str) -> set[str]:
    return set(_FIELD.findall(s))


def text(lang: str, key: str, **values) -> str:
    """The string `key` in `lang` with its {placeholders} filled in."""
    s = STRINGS[lang][key]
    return _FIELD.sub(lambda m: str(values[m.group(1)]), s) if values else s


def strings() -> dict:
    """What the page's JavaScript reads (boot["strings"]): every key but the "*_html" ones, which
    only the build writes (index.html, Bokeh Divs); the page's JavaScript writes text, never HTML."""
    return {lang: {k: v for k, v in STRINGS[lang].items() if not k.endswith("_html")}
            for lang in LANGS}
