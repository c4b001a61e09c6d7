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
        # ---- lazy (web/lazy.js, web/status.js: Python when it is needed)
        "lazy.view": "Python (Pyodide + numpy) starts when you scroll here or touch the simulator. The trace shown was computed when the site was built.",
        "lazy.ask": "{what} needs Python ({mb} MB to download). Load it?",
        "lazy.load": "Load Python",
        "lazy.saving": "Data saver: Python ({mb} MB) is not loaded. The article's examples can be read and stepped as they are; typing, training or loading a model asks first.",
        "lazy.need.typing": "Typing your own text",
        "lazy.need.model": "Switching the model",
        "lazy.need.file": "Loading a model file",
        "lazy.need.training": "Training",
        "lazy.need.gradflow": "The gradient flow",
        "lazy.need.export": "Exporting the model",
        "lazy.need.other": "This",
        "lazy.need.text": "Showing this link's text",
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
        # ---- lazy (web/lazy.js, web/status.js: Python when it is needed)
        "lazy.view": "滚动到这里或点按模拟器时才启动 Python（Pyodide + numpy）。现在显示的轨迹是建站时算好的。",
        "lazy.ask": "{what}需要 Python（需下载 {mb} MB）。现在加载吗？",
        "lazy.load": "加载 Python",
        "lazy.saving": "省流量模式：尚未加载 Python（{mb} MB）。文章的例子可以直接阅读和逐步查看；输入文字、训练或加载模型前会先询问。",
        "lazy.need.typing": "输入自己的句子",
        "lazy.need.model": "切换模型",
        "lazy.need.file": "加载模型文件",
        "lazy.need.training": "训练",
        "lazy.need.gradflow": "梯度流",
        "lazy.need.export": "导出模型",
        "lazy.need.other": "这一操作",
        "lazy.need.text": "显示这个链接的句子",
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
