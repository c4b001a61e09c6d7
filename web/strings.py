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
        # ---- wire (the Wire tab: an LSTM wired by hand; web/panels/wire.py, web/features/wire.js)
        "wire.tab": "Wire by hand",
        "wire.note": "A one- or two-unit LSTM whose every weight is yours: type input vectors x_t, "
                     "change any weight or bias below, and every step's gates, candidate, memory and "
                     "output are recomputed at once by pysim's own step (the article's equations).",
        "wire.lecture": "The preset is the hand-wired cell of the lecture the article cites first "
                        "(Hung-yi Lee, NTU): x1 carries a value, x2 = 1 opens the input gate to add "
                        "it to the memory, x2 = \u22121 closes the forget gate to reset it, x3 = 1 "
                        "opens the output gate to read it. The lecture's cell is linear (C\u0303 = x1, "
                        "h = o \u00b7 C) and stores 3 + 4 = 7; here C\u0303 = tanh(W_C \u00b7 [h, x] + b_C) "
                        "and h = o \u00b7 tanh(C), so the preset scales x1 by 0.1, where tanh is nearly "
                        "straight: the memory adds up to tanh(0.3) + tanh(0.4) = 0.671 (not 0.7) and "
                        "is read out as tanh(0.671) = 0.586. Set W_C\u2019s x1 weight to 1 to watch "
                        "tanh saturate.",
        "wire.inputs": "Input vectors x_t, e.g. [3,1,0] [4,1,0]",
        "wire.units": "Units",
        "wire.units_n": "{n} unit(s)",
        "wire.preset": "The lecture's cell",
        "wire.zero": "All weights 0",
        "wire.weights": "Weights over [h_{t\u22121}, x_t] and biases (type a number, or use the arrows):",
        "wire.bias": "b",
        "wire.step": "step t",
        "wire.plot": "every step of the wired cell (unit 2 dashed)",
        "wire.loading": "Python is still loading: this trace follows as soon as it is ready.",
        "wire.failed": "pysim could not trace this: {why}",
        "wire.kept": "The trace shown is of the last inputs that could be read.",
        "wire.err.empty": "Type at least one input vector, e.g. [3,1,0] [4,1,0].",
        "wire.err.outside": "\u201c{s}\u201d is outside any [ ]: write each input vector in brackets, "
                            "e.g. [3,1,0] [4,1,0].",
        "wire.err.open": "vector {n}: a \u201c[\u201d is not closed by \u201c]\u201d.",
        "wire.err.number": "vector {n}: \u201c{s}\u201d is not a number.",
        "wire.err.blank": "vector {n} is empty: put at least one number in it.",
        "wire.err.wide": "vector {n} has {k} numbers: at most {max} inputs.",
        "wire.err.ragged": "vector {n} has {k} numbers and vector 1 {d}: every x_t needs the same length.",
        "wire.err.long": "more than {max} vectors: at most {max} steps.",
    },
    "zh": {
        "lang.name": "中文",
        "gate.f": "遗忘门",
        "gate.i": "输入门",
        "gate.o": "输出门",
        "gate.g": "候选值 C\u0303_t",
        "gate.c": "记忆单元 C_t",
        "gate.h": "输出 h_t",
        # ---- wire (the Wire tab: an LSTM wired by hand; web/panels/wire.py, web/features/wire.js)
        "wire.tab": "手动连线",
        "wire.note": "一个只有一两个单元的 LSTM，每个权重都由你来定：输入向量 x_t，改动下面任意一个权重或偏置，"
                     "每一步的门、候选值、记忆单元和输出都会立刻由 pysim 自己的单步计算（文章里的公式）重新算出。",
        "wire.lecture": "预设是文章第一篇参考文献（李宏毅，台湾大学）课程里手动连线的单元：x1 携带一个数值，"
                        "x2 = 1 打开输入门把它加进记忆，x2 = \u22121 关上遗忘门把记忆清零，x3 = 1 打开输出门把它读出。"
                        "课程里的单元是线性的（C\u0303 = x1，h = o \u00b7 C），存下 3 + 4 = 7；这里 "
                        "C\u0303 = tanh(W_C \u00b7 [h, x] + b_C)，h = o \u00b7 tanh(C)，所以预设把 x1 乘以 0.1，"
                        "让 tanh 几乎是直线：记忆累加为 tanh(0.3) + tanh(0.4) = 0.671（而不是 0.7），"
                        "读出为 tanh(0.671) = 0.586。把 W_C 对 x1 的权重设为 1，可以看到 tanh 饱和。",
        "wire.inputs": "输入向量 x_t，例如 [3,1,0] [4,1,0]",
        "wire.units": "单元数",
        "wire.units_n": "{n} 个单元",
        "wire.preset": "课程里的单元",
        "wire.zero": "权重全部为 0",
        "wire.weights": "作用于 [h_{t\u22121}, x_t] 的权重和偏置（输入数字，或用箭头调整）：",
        "wire.bias": "b",
        "wire.step": "步 t",
        "wire.plot": "手动连线的单元的每一步（第 2 个单元为虚线）",
        "wire.loading": "Python 仍在加载：加载完成后立即显示这次计算。",
        "wire.failed": "pysim 无法计算：{why}",
        "wire.kept": "显示的是最后一次能读懂的输入的结果。",
        "wire.err.empty": "请至少输入一个向量，例如 [3,1,0] [4,1,0]。",
        "wire.err.outside": "\u201c{s}\u201d 不在任何 [ ] 里：每个输入向量都要写在方括号中，例如 [3,1,0] [4,1,0]。",
        "wire.err.open": "第 {n} 个向量：\u201c[\u201d 没有用 \u201c]\u201d 闭合。",
        "wire.err.number": "第 {n} 个向量：\u201c{s}\u201d 不是数字。",
        "wire.err.blank": "第 {n} 个向量是空的：请至少写一个数字。",
        "wire.err.wide": "第 {n} 个向量有 {k} 个数：最多 {max} 个输入。",
        "wire.err.ragged": "第 {n} 个向量有 {k} 个数，而第 1 个向量有 {d} 个：每个 x_t 的长度必须相同。",
        "wire.err.long": "向量超过 {max} 个：最多 {max} 步。",
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
