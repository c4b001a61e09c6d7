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
        # ---- embed
        "embed.computing": "{title} (computing…)",
        "embed.status.computing": "Loading Python (Pyodide + numpy) in the background: the trace "
                                  "of this text is computed as soon as it is ready.",
        "embed.status.computing_short": "This text's trace is computed as soon as Python is ready.",
        "embed.preview.computing": "computing…",
        "embed.preview.loading": "Loading the views…",
        "embed.preview.diagram": "step t = {t}, word “{token}”, unit {unit}",
    },
    "zh": {
        "lang.name": "中文",
        "gate.f": "遗忘门",
        "gate.i": "输入门",
        "gate.o": "输出门",
        "gate.g": "候选值 C\u0303_t",
        "gate.c": "记忆单元 C_t",
        "gate.h": "输出 h_t",
        # ---- embed
        "embed.computing": "{title}(计算中…)",
        "embed.status.computing": "正在后台加载 Python(Pyodide + numpy):加载完成后立即计算这句话的轨迹。",
        "embed.status.computing_short": "Python 就绪后立即计算这句话的轨迹。",
        "embed.preview.computing": "计算中…",
        "embed.preview.loading": "正在加载视图…",
        "embed.preview.diagram": "第 t = {t} 步,单词“{token}”,单元 {unit}",
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
