"""pysim.text: what is cleaned from typed text before tracing, and the notices that say so."""
from __future__ import annotations

import pytest

from pysim import api, presets
from pysim.text import words


@pytest.mark.parametrize("text, want, notice", [
    ("arrive Beijing", ["arrive", "Beijing"], None),
    ("a\x00b c", ["ab", "c"], "Removed 1 control character "),
    ("\x1b[31mred\x1b[0m \x07", ["[31mred[0m"], "Removed 3 control characters"),
    ("a\tb\nc\x1cd\x85e\u3000f", ["a", "b", "c", "d", "e", "f"], None),  # whitespace splits
    ("\ud800x y", ["\ufffdx", "y"], "Replaced 1 invalid character"),
    ("a \u200b \u202e\u202c b", ["a", "b"], "Ignored 2 words made only of invisible"),
    ("\U0001F469\u200d\U0001F467 e\u0301 \u0645\u0631\u062d\u0628\u0627", ["\U0001F469\u200d\U0001F467", "e\u0301", "\u0645\u0631\u062d\u0628\u0627"], None),
    ('<img src=x onerror=alert(1)> {{7*7}}', ["<img", "src=x", "onerror=alert(1)>", "{{7*7}}"], None),
])
def test_words(text, want, notice):
    got, notices = words(text)
    assert got == want
    if notice is None:
        assert notices == []
    else:
        assert any(n.startswith(notice) for n in notices), notices


def test_only_control_characters_is_an_empty_text_and_says_why():
    with pytest.raises(ValueError, match="the text is empty. Removed 2 control characters"):
        api.trace_text(presets.load(presets.NAMES[0]), "\x00 \x7f")


def test_the_notice_reaches_the_trace():
    tr = api.trace_text(presets.load(presets.NAMES[0]), "arrive\x00 Beijing")
    assert tr["tokens"] == ["arrive", "Beijing"]
    assert "Removed 1 control character" in tr["notice"]


def test_vector_models_take_any_text():  # word_vectors encodes words as UTF-8
    for name in presets.NAMES:
        model = presets.load(name)
        if model.config.vocab is None:
            tr = api.trace_text(model, "\ud800 x")
            assert tr["tokens"] == ["\ufffd", "x"]
