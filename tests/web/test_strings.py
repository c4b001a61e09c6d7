"""web/strings.py: every language has every key, with the same placeholders; every key the page's
code names exists."""
from __future__ import annotations

import re
from pathlib import Path

from web import strings

ROOT = Path(__file__).resolve().parents[2]


def test_every_language_has_every_key_with_the_same_placeholders():
    en = strings.STRINGS["en"]
    for lang in strings.LANGS:
        table = strings.STRINGS[lang]
        assert set(table) == set(en), (lang, set(en) ^ set(table))
        for key, s in table.items():
            assert s.strip(), (lang, key)
            assert strings.placeholders(s) == strings.placeholders(en[key]), (lang, key)


def test_chinese_uses_the_articles_terms():
    zh = strings.STRINGS["zh"]
    assert [zh[f"gate.{k}"] for k in "fio"] == ["遗忘门", "输入门", "输出门"]
    assert zh["gate.c"].startswith("记忆单元") and zh["gate.g"].startswith("候选值")


def test_every_key_named_in_code_exists():
    named = set()
    for path in list((ROOT / "web").rglob("*.js")) + list((ROOT / "web").rglob("*.py")):
        named |= set(re.findall(r"""\bt\(\s*["']([\w.]+)["']""", path.read_text()))
        named |= set(re.findall(r"""\btext\(\s*\w+\s*,\s*["']([\w.]+)["']""", path.read_text()))
    missing = named - set(strings.STRINGS["en"])
    assert not missing, sorted(missing)


def test_text_fills_placeholders():
    strings.STRINGS["en"]["_probe"] = "step {t} of {n}"
    try:
        assert strings.text("en", "_probe", t=2, n=5) == "step 2 of 5"
    finally:
        del strings.STRINGS["en"]["_probe"]
