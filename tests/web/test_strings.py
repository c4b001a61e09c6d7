"""web/strings.py and its tables (web/locales/<lang>.json): every language has every key, in the
same order, with the same placeholders; the groups web/locales/README.md lists start where it
says; every key the page's code names exists."""
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
        assert list(table) == list(en), lang  # line N of <lang>.json translates line N of en.json
        for key, s in table.items():
            assert s.strip(), (lang, key)
            assert strings.placeholders(s) == strings.placeholders(en[key]), (lang, key)


def test_the_groups_the_readme_lists_start_at_their_keys_in_order():
    """JSON has no comments: web/locales/README.md lists the groups by their first key."""
    readme = (ROOT / "web" / "locales" / "README.md").read_text(encoding="utf-8")
    firsts = re.findall(r"^\| `([\w.]+)` \|", readme, re.M)
    keys = list(strings.STRINGS["en"])
    assert firsts and firsts[0] == keys[0], firsts
    assert all(k in keys for k in firsts), [k for k in firsts if k not in keys]
    assert [keys.index(k) for k in firsts] == sorted(keys.index(k) for k in firsts), firsts


def test_the_tables_are_utf8_json_with_the_characters_themselves():
    """A translator reads the files as text: characters, not \\u escapes (ensure_ascii=False)."""
    for lang in strings.LANGS:
        raw = (strings.LOCALES / f"{lang}.json").read_text(encoding="utf-8")
        assert "\\u" not in raw, lang
        assert raw.endswith("}\n"), lang


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


def _template_pattern(s: str) -> re.Pattern:
    """The pattern web/pymsg.js makes of an English template (its {fields} match any text)."""
    parts = re.split(r"\{(\w+)\}", s)
    return re.compile("^" + "".join(f"(?P<{p}>.+?)" if k % 2 else re.escape(p)
                                    for k, p in enumerate(parts)) + "(?P<rest>.*)$", re.S)


def _raised(fn) -> str:
    try:
        fn()
    except ValueError as e:
        return str(e)
    raise AssertionError("no error")


def test_pysims_messages_still_match_the_templates_the_page_translates():
    """web/pymsg.js finds pysim's messages by the English templates "py.*": each still matches
    what pysim raises (a changed message in pysim fails here, not silently on the page)."""
    from pysim.model import Config, Model
    from pysim.session import Session
    js = (ROOT / "web" / "pymsg.js").read_text()
    keys = re.findall(r'"(py\.\w+)"', re.search(r"KEYS = \[([^\]]*)\]", js).group(1))
    assert sorted(keys) == sorted(k for k in strings.STRINGS["en"] if k.startswith("py."))
    clamp = {"gate": "f", "value": 0.0, "t0": 0, "t1": 0}
    words_no_head = Session()
    words_no_head.model = Model.random(Config(input_size=4, hidden_size=3, num_layers=1,
                                              vocab=["a", "b"]))
    vectors = Session()
    vectors.model = Model.random(Config(input_size=4, hidden_size=3, num_layers=1))
    raised = {
        "py.empty": lambda: Session("beijing").trace("   "),
        "py.unknown_word": lambda: words_no_head.trace("a zebra"),  # no unknown-word token
        "py.clamp_layer": lambda: Session("beijing").trace("arrive", [{**clamp, "layer": 3}]),
        "py.clamp_unit": lambda: Session("beijing").trace("arrive", [{**clamp, "unit": 999}]),
        "py.no_head": lambda: words_no_head.gradient_flow("a b"),
        "py.vectors": lambda: vectors.model.encode(["a", "b"]),
        "py.unknown_tag": lambda: Session().train_add("arrive Beijing/nowhere", "beijing"),
    }
    assert sorted(raised) == sorted(keys)
    for key, make in raised.items():
        msg = _raised(make)
        assert _template_pattern(strings.STRINGS["en"][key]).match(msg), (key, msg)


def test_the_page_gets_no_html_and_its_code_names_none():
    js = "".join(p.read_text() for p in (ROOT / "web").rglob("*.js"))
    named = set(re.findall(r"""\bt\(\s*["']([\w.]+)["']""", js))
    assert not [k for k in named if k.endswith("_html")]
    for table in strings.strings().values():
        assert not [k for k in table if k.endswith("_html")]
        assert "widget.play" in table
