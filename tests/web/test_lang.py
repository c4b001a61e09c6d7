"""End to end: the page in Chinese (?lang=zh, or a browser whose language is Chinese).

The check that nothing is left in English: every word of Latin letters the reader can see must
come from the Chinese table (web/strings.py STRINGS["zh"]: it names LSTM, tanh, softmax, PyTorch,
...) or be data (the text's tokens, the model's tags and names, the article's sentences). "What
the reader can see" is every visible DOM text (index.html, the status and message lines, the
preview, the plots' HTML overlays, BokehJS's widgets in their shadow roots), every aria-label,
title and placeholder, and every string the BokehJS documents draw on their canvases or show in
widgets and tooltips: titles, axis labels, colour-bar titles, legend labels, hover rows, widget
titles, labels and options, Div texts, tab titles and the strings of every data source.
"""
from __future__ import annotations

import re

import pytest

from pysim import presets
from tests.conftest import new_page
from web.panels import wire
from web.strings import STRINGS

pytestmark = pytest.mark.e2e

WORD = re.compile(r"[0-9A-Za-z_']*[A-Za-z][0-9A-Za-z_']*")


def words(s: str) -> set[str]:
    return set(WORD.findall(s))


# words from the Chinese table, the English name of English (the language switch), BokehJS's
# name (the title of its logo link) and data
ALLOWED = set().union(*(words(s) | words(re.sub(r"<[^>]+>", "", s))  # "C<sub>t</sub>" reads "Ct"
                        for s in STRINGS["zh"].values())) | {STRINGS["en"]["lang.name"], "Bokeh"}
# styles in data sources (colours, font sizes): not words
STYLE = re.compile(r"#[0-9A-Fa-f]{3,8}|\d+px")
DATA = set(presets.NAMES).union(*(words(s) for s in presets.ARTICLE_SENTENCES))
# the Wire tab's column heads: the symbols h1, x1, ..., b of [h_{t-1}, x_t, 1] (not words)
# the presets' vocabularies and tags: the words of the sentences the Contrast tab's corpus shows
DATA |= {v for n in presets.NAMES for w in (*presets.load(n).config.vocab, *presets.load(n).config.tags)
         for v in (w, w.capitalize())}  # (a corpus sentence may start with a capital)
DATA |= {wire.column_label(j) for j in range(wire.COLS)} | {f"{w}_{g}" for w in "Wb" for g in "fiCo"}

# Every visible text of the page (DOM and shadow roots), aria-labels, titles, placeholders; and
# every string the Bokeh documents show. Returns [[where, text], ...].
SEEN = r"""() => {
  const out = [];
  const visible = (el) => el instanceof Element && el.checkVisibility({ visibilityProperty: true, opacityProperty: false });
  const walk = (root) => {
    const it = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let n = it.currentNode; n; n = it.nextNode()) {
      if (n.nodeType === Node.TEXT_NODE) {
        const el = n.parentElement;
        if (n.data.trim() && el && !/^(SCRIPT|STYLE|TEMPLATE)$/.test(el.tagName) && visible(el)) {
          out.push(["dom " + el.tagName.toLowerCase(), n.data]);
        }
        continue;
      }
      if (n.shadowRoot) walk(n.shadowRoot);
      if (!visible(n)) continue;
      for (const a of ["aria-label", "title", "placeholder", "alt"]) {
        if (n.getAttribute && n.getAttribute(a)) out.push([`${a} of ${n.tagName.toLowerCase()}`, n.getAttribute(a)]);
      }
    }
  };
  walk(document.body);
  out.push(["document title", document.title]);
  const strings = (v) => {
    if (typeof v === "string") return [v];
    if (v && typeof v.value === "string") return [v.value]; // a value spec (legend labels)
    if (Array.isArray(v) || ArrayBuffer.isView(v)) return [...v].flatMap(strings);
    return [];
  };
  for (const doc of window.Bokeh.documents) {
    for (const m of doc.all_models) {
      const type = m.type || m.constructor.name;
      for (const p of ["text", "title", "label", "axis_label", "placeholder", "factors", "labels"]) {
        if (p in m && !(m[p] && m[p].id)) for (const s of strings(m[p])) out.push([`${type}.${p}`, s]);
      }
      if (Array.isArray(m.options)) { // [value, label] pairs or plain values
        for (const o of m.options) out.push([`${type}.options`, Array.isArray(o) ? o[1] : o]);
      }
      if (Array.isArray(m.tooltips)) for (const [label] of m.tooltips) out.push([`${type}.tooltips`, label]);
      if (m.description) out.push([`${type}.description`, m.description]);
      if (m.data && typeof m.data === "object") {
        // every column but the Contrast tab's corpus words ("word"): the sentences of a task's
        // held-out set, whose cities are by design not in the model's vocabulary (data)
        for (const [k, col] of Object.entries(m.data)) {
          if (m.name === "contrast_words" && k === "word") continue;
          for (const s of strings(col)) out.push([`source.${k}`, s]);
        }
      }
    }
  }
  return out;
}"""


def untranslated(page) -> list:
    """Each seen text with the English words in it that are neither from the Chinese table nor
    data (the trace's tokens and tags, the presets, the article's sentences)."""
    state = page.evaluate("window.pysim.state()")
    data = DATA | set(state["tags"]) | set(state["tokens"]).union(*map(words, state["tokens"]))
    bad = []
    for where, s in page.evaluate(SEEN):
        plain = STYLE.sub(" ", re.sub(r"<[^>]+>", " ", s) if where.endswith((".text", "dom")) else s)
        extra = words(plain) - ALLOWED - data
        if extra:
            bad.append((where, s[:80], sorted(extra)))
    return bad


def open_each_tab(page):
    """Yield each feature tab's name once it is open and drawn."""
    names = page.evaluate("window.pysim.model('panels').tabs.map((p) => p.name)")
    for k, name in enumerate(names):
        page.evaluate("k => { window.pysim.model('panels').active = k; }", k)
        page.wait_for_timeout(300)
        yield name


def chinese_page(browser, server, query="?lang=zh", locale="en-US"):
    page = new_page(browser) if locale == "en-US" else _page_with_locale(browser, locale)
    page.goto(server + query)
    page.evaluate("window.pysim.ready")
    return page


def _page_with_locale(browser, locale):
    from tests.conftest import ConsoleWatch
    context = browser.new_context(viewport={"width": 1280, "height": 1400}, locale=locale)
    page = context.new_page()
    page.watch = ConsoleWatch(page)
    return page


@pytest.fixture(scope="module")
def page(browser, server):
    page = chinese_page(browser, server)
    yield page
    page.context.close()


def test_every_visible_word_of_the_page_and_of_each_tab_is_chinese_or_data(page):
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert page.title() == STRINGS["zh"]["page.title"]
    assert untranslated(page) == []
    for name in open_each_tab(page):
        assert untranslated(page) == [], name
    page.evaluate("window.pysim.model('panels').active = 0")


def test_the_check_finds_english(page):
    """The check itself: an English label put on the page is found."""
    page.evaluate("window.pysim.model('share').label = 'Copy link to this view'")
    try:
        assert any("Copy" in extra for _, _, extra in untranslated(page))
    finally:
        page.evaluate(f"window.pysim.model('share').label = {STRINGS['zh']['widget.share']!r}")


def test_the_article_terms_name_the_gates(page):
    titles = page.evaluate("['f', 'i', 'o', 'g', 'c', 'h'].map("
                           "(k) => window.pysim.model(`fig_${k}`).title.text)")
    assert titles == ["遗忘门 f_t", "输入门 i_t", "输出门 o_t", "候选值 C\u0303_t", "记忆单元 C_t",
                      "输出 h_t"]
    assert page.evaluate("window.pysim.model('play').label") == STRINGS["zh"]["widget.play"]


def test_messages_after_actions_are_chinese(page):
    """An empty text, a clamp pysim refuses (its message mapped by its template), playing."""
    msg = page.locator("#pysim-message")
    page.evaluate("window.pysim.setText('').catch(() => {})")
    page.wait_for_function("document.querySelector('#pysim-message').textContent.includes('请至少输入一个词')")
    assert msg.inner_text() == STRINGS["zh"]["msg.empty"]
    # a clamp pysim refuses: its message (web/pymsg.js) inside the page's own sentence
    page.evaluate("window.pysim.setClamps([{gate: 'f', value: 0, unit: 999, t0: 0, t1: 0}])"
                  ".catch(() => {})")
    page.wait_for_function("document.querySelector('#pysim-message').textContent.includes('钳制')")
    assert msg.inner_text() == STRINGS["zh"]["clamp.not_applied"].format(
        reason=STRINGS["zh"]["py.clamp_unit"].format(unit=999, n=12))
    page.evaluate("window.pysim.play()")
    assert page.evaluate("window.pysim.model('play').label") == STRINGS["zh"]["widget.pause"]
    page.evaluate("window.pysim.pause()")
    status = page.locator("#pysim-status-text").inner_text()
    assert status.startswith("Python 已就绪"), status
    assert untranslated(page) == []


def test_the_language_stays_in_links_and_the_switch_goes_to_english(page):
    page.evaluate("window.pysim.seek(1)")
    page.wait_for_function("location.search.includes('t=1')")
    assert "lang=zh" in page.evaluate("location.search")
    switch = page.locator("a.lang-switch:visible")
    assert switch.count() == 1 and switch.inner_text() == "English"
    page.wait_for_function("document.querySelector('a.lang-switch[data-lang-to=en]').href.includes('t=1')")
    href = switch.get_attribute("href")
    assert "lang=en" in href and "t=1" in href and "lang=zh" not in href
    url = page.evaluate("window.pysim.url()")
    assert "lang=zh" in url and "t=1" in url
    # a tab in a link keeps its English name: links work in either language
    page.evaluate("window.pysim.model('panels').active = 1")
    assert "tab=Intervene" in page.evaluate("window.pysim.url()")
    page.evaluate("window.pysim.model('panels').active = 0")


def test_a_chinese_browser_gets_chinese_and_lang_en_overrides_it(browser, server):
    page = chinese_page(browser, server, query="", locale="zh-CN")
    try:
        assert page.evaluate("navigator.language") == "zh-CN"
        assert page.evaluate("document.documentElement.lang") == "zh-CN"
        assert untranslated(page) == []
        assert "lang=" not in page.evaluate("window.pysim.url()")  # the reader's own language
        page.watch.check()
    finally:
        page.context.close()
    page = chinese_page(browser, server, query="?lang=en", locale="zh-CN")
    try:
        assert page.evaluate("document.documentElement.lang") == "en"
        assert page.title() == STRINGS["en"]["page.title"]
        assert page.evaluate("window.pysim.model('fig_f').title.text") == "forget gate f_t"
        assert page.locator("header h1").inner_text() == "pysim " + STRINGS["en"]["page.tagline"]
        assert page.locator("a.lang-switch:visible").inner_text() == "中文"
        assert "lang=en" in page.evaluate("window.pysim.url()")
        page.watch.check()
    finally:
        page.context.close()


def test_the_chinese_words_are_there_before_the_first_paint(browser, server):
    """No flash of English and no shift: at the first frame the header is already Chinese
    (web/lang.js runs in <head>; style.css shows one language) and it never moves afterwards."""
    page = new_page(browser)
    try:
        page.add_init_script("""
          window.__frames = [];  // the header's visible text and box at every frame while loading
          const look = () => {
            const h = document.querySelector("header");
            if (h) window.__frames.push([h.innerText, JSON.stringify(h.getBoundingClientRect())]);
            if (document.readyState !== "complete") requestAnimationFrame(look);
          };
          requestAnimationFrame(look);
        """)
        page.goto(server + "?lang=zh")
        page.evaluate("window.pysim.ready")
        frames = [f for f in page.evaluate("window.__frames") if f[0].strip()]
        assert frames
        final = page.evaluate("(() => { const h = document.querySelector('header'); return "
                              "[h.innerText, JSON.stringify(h.getBoundingClientRect())]; })()")
        assert final[0].startswith("pysim " + STRINGS["zh"]["page.tagline"])
        for text, box in frames:  # every painted frame: Chinese (or less of it), same place
            assert final[0].startswith(text) and not words(text) - ALLOWED, text
        assert frames[-1] == final and all(box == final[1] for _, box in frames if _ == final[0])
        page.watch.check()
    finally:
        page.context.close()
