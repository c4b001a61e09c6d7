"""Hostile input, typed into the text box and sent through pysim.setText.

Nothing may execute (any dialog, console error or page error fails; a payload that ran would
set window.__pwned), nothing may crash (Python stays up, no error panel), a rejected text
leaves the last good trace on screen, and a message says what happened. What is cleaned and
why: pysim/text.py.
"""
from __future__ import annotations

import json

import pytest

from tests.conftest import new_page

pytestmark = pytest.mark.e2e

GOOD = "arrive Beijing on November 2nd"
PAYLOADS = [
    '<img src=x onerror="window.__pwned=1">',
    "<script>window.__pwned=2</script>",
    "<svg/onload=window.__pwned=3>",
    "javascript:window.__pwned=4",
    '"><iframe src="javascript:window.__pwned=5"></iframe>',
    "{{constructor.constructor('window.__pwned=6')()}}",
    "${window.__pwned=7} `${alert(7)}`",
    "</script><script>window.__pwned=8</script>",
    "<style>body{display:none}</style> &lt;b&gt; &#x3C;",
    "__proto__ constructor prototype toString hasOwnProperty",
]
MANY = " ".join(["leave", "Beijing", "on", "November", "2nd"] * 1040)  # 5,200 tokens
# (id, text, tokens traced or None if refused, the message or None)
CASES = [
    ("payloads 1", " ".join(PAYLOADS[:5]), None, None),
    ("payloads 2", " ".join(PAYLOADS[5:]), None, None),
    ("5200 tokens", MANY, MANY.split()[:1000], "pysim reads the first 1000"),
    ("emoji and combining", "\U0001F469\u200d\U0001F469\u200d\U0001F467 \U0001F1E8\U0001F1F3 "
     "cafe\u0301 Z\u0324\u0354\u0367\u0311a\u0308\u0356\u032d", None, None),
    ("right to left", "arrive \u0628\u064a\u062c\u064a\u0646 \u05e9\u05dc\u05d5\u05dd "
     "\u202eBeijing\u202c", None, None),
    ("very long word", "w" * 20_000 + " Beijing", None, None),
    ("control characters", "arrive\x00 Beijing\x1b[31m on\x07", ["arrive", "Beijing[31m", "on"],
     "Removed 3 control characters"),
    ("only control characters", "\x00\x01\x7f", None, "Removed 3 control characters"),
    ("only whitespace", "   \u3000  \u00a0 ", None, "the text is empty"),
    ("only invisible characters", "\u200b \u2060\u200d", None, "made only of invisible"),
]
REFUSED = {"only control characters", "only whitespace", "only invisible characters"}
TYPED_SLOWLY = 200  # longer texts arrive with one input event, as a paste does

STATE = "window.pysim.state()"
MESSAGE = ("() => { const m = document.getElementById('pysim-message');"
           " return m.hidden ? '' : m.textContent; }")
TOKENS = "() => Array.from(window.pysim.model('tokens').data.token)"
ELEMENTS = "() => document.querySelectorAll('img, script, iframe, svg, style, object').length"


@pytest.fixture(scope="module")
def page(browser, server):
    page = new_page(browser)
    page.goto(server)
    page.evaluate("window.pysim.ready")
    page.elements = page.evaluate(ELEMENTS)
    yield page
    page.context.close()


@pytest.fixture(autouse=True)
def nothing_ran(page):
    page.evaluate("t => window.pysim.setText(t)", GOOD)  # a good trace on screen, no message
    assert page.evaluate(MESSAGE) == ""
    yield
    page.watch.check()
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate(ELEMENTS) == page.elements
    assert page.is_hidden("#pysim-error")  # nothing crashed
    assert page.evaluate(STATE)["ready"] is True


def type_into_box(page, text):
    box = page.locator("input[type=text]").first
    box.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    if len(text) <= TYPED_SLOWLY:
        for ch in text:  # characters the keyboard has are key presses, the others are input
            if ch.isascii() and ch.isprintable():
                page.keyboard.type(ch)
            else:
                page.keyboard.insert_text(ch)
    else:
        page.keyboard.insert_text(text)
    assert box.input_value() == text
    page.keyboard.press("Enter")


def check(page, name, text, tokens, message):
    refused = name in REFUSED
    if refused:
        page.wait_for_function(f"({MESSAGE})().length > 0", timeout=20_000)
        tokens = GOOD.split()  # the last good trace stays
    else:
        tokens = tokens or text.split()
        page.wait_for_function(f"window.pysim.state().tokens.length === {len(tokens)} && "
                               f"window.pysim.state().text === {json.dumps(text)}", timeout=20_000)
    state = page.evaluate(STATE)
    assert state["tokens"] == tokens
    assert page.evaluate(TOKENS) == tokens  # and that is what is drawn
    shown = page.evaluate(MESSAGE)
    if message:
        assert message in shown, shown
        if refused:
            assert "The last trace stays on screen" in shown
    else:
        assert shown == ""


@pytest.mark.parametrize("name, text, tokens, message", CASES, ids=[c[0] for c in CASES])
def test_typed(page, name, text, tokens, message):
    type_into_box(page, text)
    check(page, name, text, tokens, message)


@pytest.mark.parametrize("name, text, tokens, message", CASES, ids=[c[0] for c in CASES])
def test_set_text(page, name, text, tokens, message):
    got = page.evaluate("t => window.pysim.setText(t).then(() => 'traced', e => e.message)", text)
    assert (got != "traced") == (name in REFUSED), got
    check(page, name, text, tokens, message)


def test_lone_surrogate(page):
    # (a JS string can hold one; a Python str can too, but it cannot be encoded)
    page.evaluate("window.pysim.setText(String.fromCharCode(0xD800) + 'Beijing now')")
    assert page.evaluate(STATE)["tokens"] == ["\ufffdBeijing", "now"]
    assert "Replaced 1 invalid character" in page.evaluate(MESSAGE)


def test_payload_tooltip_is_text(page):
    text = " ".join(PAYLOADS[:3])
    page.evaluate("t => window.pysim.setText(t)", text)
    canvas = page.locator(".bk-Figure").first
    box = canvas.bounding_box()
    T = len(text.split())
    left, right = box["x"] + 10, box["x"] + box["width"] - 10
    page.mouse.move(left + (right - left) * (0.5 / T), box["y"] + box["height"] * 0.45)
    tip = page.locator(".bk-tooltip-content").first
    tip.wait_for(timeout=5000)
    assert "<img" in tip.inner_text()
