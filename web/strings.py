"""Every word the page shows, one table per language, the same keys in each: English ("en") and
Chinese ("zh", in the article's own terms: 遗忘门, 输入门, 输出门, 记忆单元 C_t, 候选值 C̃_t, 输出 h_t).

build.py sends both tables to the page in the boot data (boot["strings"]); web/i18n.js picks the
language (?lang=en|zh, else the browser's: a language starting with "zh" gives zh) and formats
with t(key, {name: value}) ("{name}" in a string is replaced). The Python layout (web/page.py,
web/panels/) reads the same table with text(lang, key). tests/web/test_strings.py checks that every
language has every key, with the same {placeholders}, and that every key the code names exists.

Keys are grouped by where they show (status., msg., view., widget., tab.<feature>., ...).
"""
from __future__ import annotations

import re

LANGS = ("en", "zh")
DEFAULT_LANG = "en"

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "lang.name": "English",
        "gate.f": "forget gate",
        "gate.i": "input gate",
        "gate.o": "output gate",
        "gate.g": "candidate C\u0303_t",
        "gate.c": "memory cell C_t",
        "gate.h": "output h_t",
    },
    "zh": {
        "lang.name": "中文",
        "gate.f": "遗忘门",
        "gate.i": "输入门",
        "gate.o": "输出门",
        "gate.g": "候选值 C\u0303_t",
        "gate.c": "记忆单元 C_t",
        "gate.h": "输出 h_t",
    },
}

_FIELD = re.compile(r"\{(\w+)\}")


def placeholders(s: str) -> set[str]:
    return set(_FIELD.findall(s))


def text(lang: str, key: str, **values) -> str:
    """The string `key` in `lang` with its {placeholders} filled in."""
    s = STRINGS[lang][key]
    return _FIELD.sub(lambda m: str(values[m.group(1)]), s) if values else s


def strings() -> dict:
    """What the page's JavaScript reads (boot["strings"])."""
    return {lang: dict(STRINGS[lang]) for lang in LANGS}
