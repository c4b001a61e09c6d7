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
        # ---- a11y: names for assistive technology, the spoken step, the page's description
        "a11y.description": "An LSTM simulator in your browser: type a sentence and watch the "
                            "forget, input and output gates, the candidate, the memory cell and "
                            "the output, word by word and unit by unit.",
        "a11y.tabs": "Features",
        "a11y.scrub": "Step t",
        "a11y.speed": "Speed (steps per second)",
        "a11y.clamp_value": "Clamp to the value",
        "a11y.clamp_from": "Clamp from step",
        "a11y.clamp_to": "Clamp up to step",
        "a11y.model_file": "Model file (.npz)",
        "a11y.step": "Step {t} of {last}: \u201c{token}\u201d, predicted tag {tag} ({p} %)",
        "a11y.step_nohead": "Step {t} of {last}: \u201c{token}\u201d",
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
        # ---- a11y: names for assistive technology, the spoken step, the page's description
        "a11y.description": "在浏览器里运行的 LSTM 模拟器：输入一句话，逐词、逐个单元地观察遗忘门、"
                            "输入门、输出门、候选值、记忆单元和输出。",
        "a11y.tabs": "功能",
        "a11y.scrub": "步骤 t",
        "a11y.speed": "速度（每秒步数）",
        "a11y.clamp_value": "钳制到的值",
        "a11y.clamp_from": "钳制起始步",
        "a11y.clamp_to": "钳制结束步",
        "a11y.model_file": "模型文件（.npz）",
        "a11y.step": "第 {t} 步（最后一步为第 {last} 步）：\u201c{token}\u201d，预测标签 {tag}（{p} %）",
        "a11y.step_nohead": "第 {t} 步（最后一步为第 {last} 步）：\u201c{token}\u201d",
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
