"""The page with the keyboard alone, end to end (real Chromium, BokehJS, Pyodide): type a
sentence, step, play and pause, switch the model, open every feature tab, start and pause
training; after each key, the focus (through BokehJS's shadow roots) is where it should be.
Page shortcuts (arrows, Home/End, Space) never act when the focused control uses the key: one
arrow on the step slider is one step; arrows on the speed slider change the speed only. Every
tab stop, on the page and in each tab, has a role and a name in Chromium's accessibility tree.
"""
from __future__ import annotations

import pytest

from tests.web.focus import ax_node, focused, on_model, tab_to, to_start

pytestmark = pytest.mark.e2e

STATE = "() => window.pysim.state()"
SENTENCE = "leave Beijing on November 2nd"
GENERIC = {None, "", "generic", "none", "presentation", "StaticText", "InlineTextBox"}


@pytest.fixture(scope="module")
def page(page):
    page.evaluate("window.pysim.model('panels').active = 0")
    return page


def blur(page):
    page.evaluate("document.activeElement.blur()")


def t_of(page):
    return page.evaluate("window.pysim.state().t")


def settle(page, ms=400):
    page.wait_for_timeout(ms)
    page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")


def test_type_a_sentence(page):
    blur(page)
    tab_to(page, on_model("text"))
    page.keyboard.press("Control+A")
    page.keyboard.type(SENTENCE)
    page.keyboard.press("Enter")
    page.wait_for_function(f"window.pysim.state().text === {SENTENCE!r} && window.pysim.state().tokens.length === 5")
    assert focused(page)["model"] == "text"
    assert page.evaluate(STATE)["tokens"] == SENTENCE.split()


def test_step_with_the_buttons_and_the_page_keys(page):
    blur(page)
    f = tab_to(page, on_model("reset"))
    assert f["tag"] == "BUTTON"
    page.keyboard.press("Enter")
    page.wait_for_function("window.pysim.state().t === 0")
    assert focused(page)["model"] == "reset"
    tab_to(page, on_model("forward"))
    page.keyboard.press("Enter")
    page.keyboard.press(" ")
    page.wait_for_function("window.pysim.state().t === 2")
    settle(page)
    assert t_of(page) == 2 and focused(page)["model"] == "forward"  # Space: the button, not play
    blur(page)  # nothing focused: the page's own keys
    page.keyboard.press("ArrowRight")
    page.wait_for_function("window.pysim.state().t === 3")
    page.keyboard.press("Home")
    page.wait_for_function("window.pysim.state().t === 0")
    page.keyboard.press("End")
    page.wait_for_function("window.pysim.state().t === 4")


def test_one_arrow_on_the_step_slider_is_one_step(page):
    page.evaluate("window.pysim.seek(2)")
    blur(page)
    f = tab_to(page, on_model("scrub"))
    assert f["role"] == "slider" and f["label"] == "Step t"
    for key, want in (("ArrowLeft", 1), ("ArrowRight", 2), ("ArrowRight", 3), ("Home", 0), ("End", 4)):
        page.keyboard.press(key)
        settle(page)
        assert t_of(page) == want, key
        assert focused(page)["model"] == "scrub"
    assert page.evaluate("window.pysim.model('scrub').value") == 4


def test_the_speed_slider_changes_the_speed_not_the_step(page):
    page.evaluate("window.pysim.seek(2)")
    blur(page)
    tab_to(page, on_model("speed"))
    page.keyboard.press("ArrowRight")
    settle(page)
    assert page.evaluate("window.pysim.model('speed').value") == pytest.approx(2.5)
    page.keyboard.press("ArrowLeft")
    settle(page)
    assert page.evaluate("window.pysim.model('speed').value") == pytest.approx(2)
    assert t_of(page) == 2 and focused(page)["model"] == "speed"


def test_play_and_pause_keep_the_focus_on_the_button(page):
    page.evaluate("window.pysim.seek(0)")
    blur(page)
    f = tab_to(page, on_model("play"))
    assert f["tag"] == "BUTTON" and "Play" in f["text"]
    page.keyboard.press("Enter")
    page.wait_for_function("window.pysim.model('play').active && window.pysim.state().t >= 1")
    f = focused(page)
    assert f["model"] == "play" and f["tag"] == "BUTTON" and "Pause" in f["text"], f
    page.keyboard.press(" ")
    page.wait_for_function("!window.pysim.model('play').active")
    t = t_of(page)
    settle(page, 800)
    assert t_of(page) == t  # paused
    f = focused(page)
    assert f["model"] == "play" and "Play" in f["text"], f
    # play to the end: it stops by itself, and the focus stays
    page.keyboard.press("Enter")
    page.wait_for_function("!window.pysim.model('play').active && window.pysim.state().t === 4",
                           timeout=15000)
    settle(page)
    assert focused(page)["model"] == "play"


def test_the_step_is_announced_politely_once_stepping_rests(page):
    page.evaluate("window.pysim.seek(0)")
    blur(page)
    tab_to(page, on_model("scrub"))
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("document.getElementById('pysim-announce').textContent.startsWith('Step 3 of 4')")
    tr = page.evaluate(STATE)
    said = page.evaluate("document.getElementById('pysim-announce').textContent")
    assert "\u201cNovember\u201d" in said and "predicted tag" in said, said
    # playing says nothing per tick, only where it stops
    page.evaluate("window.pysim.seek(0)")
    tab_to(page, on_model("play"), key="Shift+Tab")
    settle(page, 500)  # anything said about the seek has been said
    page.evaluate("document.getElementById('pysim-announce').textContent = ''")
    page.keyboard.press("Enter")
    page.wait_for_function("window.pysim.state().t === 2")
    assert page.evaluate("document.getElementById('pysim-announce').textContent") == ""
    page.wait_for_function("!window.pysim.model('play').active", timeout=15000)
    page.wait_for_function("document.getElementById('pysim-announce').textContent.startsWith('Step 4 of 4')")
    assert tr["tokens"][3] == "November"


def test_switch_the_model_with_the_keyboard(page):
    blur(page)
    f = tab_to(page, on_model("preset"))
    assert f["tag"] == "SELECT"
    page.keyboard.press("ArrowDown")
    page.wait_for_function("window.pysim.state().preset === 'memory'", timeout=30000)
    assert focused(page)["model"] == "preset"
    page.keyboard.press("ArrowUp")
    page.wait_for_function("window.pysim.state().preset === 'beijing'", timeout=30000)
    assert focused(page)["model"] == "preset"


def tab_state(page):
    return page.evaluate("""() => { const m = window.pysim.model('panels');
      return { active: m.active, titles: m.tabs.map((p) => p.title) } }""")


def test_tabs_open_with_enter_and_space_and_arrows_move_between_them(page):
    blur(page)
    f = tab_to(page, lambda f: f["role"] == "tab")
    titles = tab_state(page)["titles"]
    assert f["text"] == titles[0] and tab_state(page)["active"] == 0
    for k in range(1, len(titles)):
        page.keyboard.press("ArrowRight")
        f = focused(page)
        assert f["role"] == "tab" and f["text"] == titles[k] and tab_state(page)["active"] == k - 1
        page.keyboard.press("Enter" if k % 2 else " ")
        page.wait_for_function(f"window.pysim.model('panels').active === {k}")
        settle(page, 200)
        f = focused(page)
        assert f["text"] == titles[k], f
        assert page.evaluate("window.__focused.getAttribute('aria-selected')") == "true"
        assert page.evaluate("document.documentElement.scrollLeft") == 0
    page.keyboard.press("Home")
    assert focused(page)["text"] == titles[0]
    page.keyboard.press("End")
    assert focused(page)["text"] == titles[-1]
    page.keyboard.press("ArrowRight")  # wraps around
    assert focused(page)["text"] == titles[0]
    page.keyboard.press("Enter")
    page.wait_for_function("window.pysim.model('panels').active === 0")
    # one tab stop for the whole row: Tab leaves the tabs
    page.keyboard.press("Tab")
    assert focused(page)["role"] != "tab"


def test_every_tab_stop_has_a_role_and_a_name(page):
    titles = tab_state(page)["titles"]
    unnamed = []
    for k in range(len(titles)):
        page.evaluate(f"window.pysim.model('panels').active = {k}")
        settle(page, 300)
        to_start(page)
        for _ in range(80):
            page.keyboard.press("Tab")
            f = focused(page)
            if f["tag"] == "BODY":
                break
            node = ax_node(page)
            if node["ignored"] or node["role"] in GENERIC or not node["name"].strip():
                unnamed.append((titles[k], f, node))
        else:
            raise AssertionError("the tab order never came back to the page")
    page.evaluate("window.pysim.model('panels').active = 0")
    assert not unnamed, unnamed


def test_start_and_pause_training_with_the_keyboard(page):
    blur(page)
    tab_to(page, lambda f: f["role"] == "tab")
    titles = tab_state(page)["titles"]
    for _ in range(titles.index("Train")):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_function(f"window.pysim.model('panels').active === {titles.index('Train')}")
    f = tab_to(page, on_model("train_start"))
    assert f["tag"] == "BUTTON"
    page.keyboard.press("Enter")
    page.wait_for_function("window.pysim.model('train_start').disabled", timeout=30000)
    page.wait_for_function("!window.pysim.model('train_pause').disabled")
    settle(page, 300)
    assert focused(page)["model"] == "train_pause"  # the button that stops what Enter started
    page.keyboard.press("Enter")
    page.wait_for_function("!window.pysim.model('train_start').disabled", timeout=30000)
    settle(page, 300)
    assert focused(page)["model"] == "train_start"
    assert "step" in page.evaluate("window.pysim.model('train_status').text")
