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
        # ---- contrast (web/panels/contrast.py, web/features/contrast.js)
        "contrast.tab": "Contrast",
        "contrast.note": "Two texts, one model: which units remember what tells them apart? For every unit, how far its memory cell C_t and output h_t are apart in the two runs; the units are ranked at the words whose predicted tags differ.",
        "contrast.text_a": "Text A",
        "contrast.text_b": "Text B",
        "contrast.run": "Contrast",
        "contrast.c_fig": "memory cell C_t of the top units: A solid, B dashed",
        "contrast.c_explain": "The top units' memory cell C_t over time, both texts on one plot (A solid, B dashed): where a unit's two lines part, it tells A from B.",
        "contrast.tags_fig": "predicted tags of A and B",
        "contrast.tags_explain": "Each word of both texts with its predicted tag, side by side; the words whose tags differ are marked.",
        "contrast.units": "Units ranked by how far apart A and B are at {where}: {list}.",
        "contrast.where_diff": "the words whose tags differ",
        "contrast.where_all": "every word (no tag differs)",
        "contrast.unit_label": "layer {layer} unit {unit}",
        "contrast.patch_explain": "Prove it by patching: copy the state of the top units at step t from run A into run B, and let B run on. If B's tag at the differing word becomes A's, those units carry the memory. Ablation zeroes the units instead.",
        "contrast.what": "Patch",
        "contrast.what_c": "memory cell C_t",
        "contrast.what_ch": "C_t and output h_t",
        "contrast.step": "at step t",
        "contrast.flip": "Patch top units until the tag flips",
        "contrast.ablate": "Ablate the top unit in B",
        "contrast.flipped": "Patching {k} unit(s) ({units}) from A into B at step {t} (\u201c{token}\u201d) flips B's tag at \u201c{word}\u201d from {from} to {to}: P({to}) {before} \u2192 {after}.",
        "contrast.not_flipped": "Patching all {k} units from A into B at step {t} did not flip B's tag at \u201c{word}\u201d: P({to}) {before} \u2192 {after}.",
        "contrast.nothing": "The tags of A and B do not differ from step {t} on: there is no tag to flip.",
        "contrast.ablated": "Ablating {units} in B (C = h = 0 at every step): P({tag}) at \u201c{word}\u201d {before} \u2192 {after}, tag {from} \u2192 {now}.",
        "contrast.prob_fig": "B's probability of A's tag at the differing word",
        "contrast.prob_explain": "B's probability of A's tag at the differing word, before patching and after patching the top 1, 2, 3 \u2026 units.",
        "contrast.before": "before",
        "contrast.top_k": "top {k}",
        "contrast.corpus_explain": "Across a corpus: one unit over many sentences, every word coloured by its value (red > 0, blue < 0), the sentences where it responds most strongly first. Tap words of one sentence, then Find units: the units on there and off elsewhere, and the other sentences where they do the same (framed).",
        "contrast.source": "Sentences",
        "contrast.src_held": "the task's held-out set",
        "contrast.src_examples": "the model's examples",
        "contrast.src_lines": "my lines (below)",
        "contrast.lines": "Your sentences, one a line",
        "contrast.colour_by": "Colour by",
        "contrast.unit": "Unit",
        "contrast.show": "Show",
        "contrast.find": "Find units",
        "contrast.corpus_fig": "one unit across sentences (strongest first)",
        "contrast.corpus_status": "{n} sentences; {unit}, coloured by {what}; the {shown} strongest shown.",
        "contrast.found": "On in the selected words and off elsewhere: {units}. {m} other sentences where they are all on (framed when shown).",
        "contrast.select_first": "Tap words of one sentence first.",
        "contrast.failed": "The contrast could not be made: {msg}",
    },
    "zh": {
        "lang.name": "中文",
        "gate.f": "遗忘门",
        "gate.i": "输入门",
        "gate.o": "输出门",
        "gate.g": "候选值 C\u0303_t",
        "gate.c": "记忆单元 C_t",
        "gate.h": "输出 h_t",
        # ---- contrast (web/panels/contrast.py, web/features/contrast.js)
        "contrast.tab": "对比",
        "contrast.note": "同一个模型读两段文字：哪些单元记住了区分它们的东西？对每个单元，比较两次运行中它的记忆单元 C_t 和输出 h_t 相差多远；在预测标签不同的词上给单元排序。",
        "contrast.text_a": "文字 A",
        "contrast.text_b": "文字 B",
        "contrast.run": "对比",
        "contrast.c_fig": "排名靠前单元的记忆单元 C_t：A 实线，B 虚线",
        "contrast.c_explain": "排名靠前的单元的记忆单元 C_t 随时间的变化，两段文字画在同一张图上（A 实线，B 虚线）：两条线分开的地方，这个单元就能区分 A 和 B。",
        "contrast.tags_fig": "A 和 B 的预测标签",
        "contrast.tags_explain": "两段文字的每个词及其预测标签并排显示；标签不同的词有标记。",
        "contrast.units": "按 A 与 B 在{where}的差距给单元排序：{list}。",
        "contrast.where_diff": "标签不同的词上",
        "contrast.where_all": "每个词上（没有标签不同）",
        "contrast.unit_label": "第 {layer} 层 单元 {unit}",
        "contrast.patch_explain": "用修补来证明：把 A 运行中排名靠前单元在第 t 步的状态复制到 B 的运行中，让 B 继续运行。如果 B 在标签不同的词上的标签变成了 A 的，这些单元就承载着这段记忆。消融则是把这些单元置零。",
        "contrast.what": "修补",
        "contrast.what_c": "记忆单元 C_t",
        "contrast.what_ch": "C_t 和输出 h_t",
        "contrast.step": "在第 t 步",
        "contrast.flip": "逐个修补靠前的单元，直到标签翻转",
        "contrast.ablate": "在 B 中消融排名第一的单元",
        "contrast.flipped": "把 {k} 个单元（{units}）在第 {t} 步（“{token}”）从 A 复制到 B，B 在“{word}”上的标签从 {from} 变为 {to}：P({to}) {before} \u2192 {after}。",
        "contrast.not_flipped": "把全部 {k} 个单元在第 {t} 步从 A 复制到 B，B 在“{word}”上的标签没有翻转：P({to}) {before} \u2192 {after}。",
        "contrast.nothing": "从第 {t} 步起 A 和 B 的标签没有不同：没有可以翻转的标签。",
        "contrast.ablated": "在 B 中消融 {units}（每一步 C = h = 0）：“{word}”上的 P({tag}) {before} \u2192 {after}，标签 {from} \u2192 {now}。",
        "contrast.prob_fig": "B 在标签不同的词上取 A 的标签的概率",
        "contrast.prob_explain": "B 在标签不同的词上取 A 的标签的概率：修补之前，以及修补排名前 1、2、3……个单元之后。",
        "contrast.before": "修补前",
        "contrast.top_k": "前 {k} 个",
        "contrast.corpus_explain": "在语料中看：一个单元读许多句子，每个词按它的值着色（红 > 0，蓝 < 0），响应最强的句子排在前面。点选一个句子中的词，再点“找单元”：找出在这些词上激活、在别处不激活的单元，以及它们同样激活的其他句子（加框）。",
        "contrast.source": "句子",
        "contrast.src_held": "任务的留出集",
        "contrast.src_examples": "模型自带的例句",
        "contrast.src_lines": "我的句子（下面）",
        "contrast.lines": "你的句子，每行一句",
        "contrast.colour_by": "着色依据",
        "contrast.unit": "单元",
        "contrast.show": "显示",
        "contrast.find": "找单元",
        "contrast.corpus_fig": "一个单元读许多句子（最强的在前）",
        "contrast.corpus_status": "{n} 个句子；{unit}，按{what}着色；显示最强的 {shown} 个。",
        "contrast.found": "在所选词上激活、在别处不激活：{units}。另有 {m} 个句子中它们同时激活（显示的加框）。",
        "contrast.select_first": "请先点选一个句子中的词。",
        "contrast.failed": "无法完成对比：{msg}",
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
