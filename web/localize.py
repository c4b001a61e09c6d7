"""index.html's words in every language, written at build time (build.py write_page).

The page is static and its language is chosen in the browser (?lang=, else the browser's, by
web/lang.js before the first paint), so index.html carries its few static words in every language:
`{{t:key}}` becomes one element per language, `<span data-l="en" lang="en">…</span><span
data-l="zh" lang="zh-CN">…</span>`, and style.css shows only those of <html data-lang>. A Chinese
reader sees no English first and nothing moves when the language is known (it is known before
the first paint). Keys ending in "_html" are our own HTML (web/strings.py); every other string is
escaped.

    {{t:key}}        the string in every language (visible text)
    {{en:key}}       the English string (attributes; web/i18n.js sets them per language)
    {{LANGS}}        the languages, for <html data-langs>
    {{LANG_SWITCH}}  the links to the page in the other language(s), one shown per language
    {{MODEL_NOTE}}   the status line's description of the model the page opens on (`model`:
                     pysim.io.describe's dict), as web/status.js will write it: the line has its
                     height from the first paint
"""
from __future__ import annotations

import html as _html
import re

from web.strings import LANGS, STRINGS

TAGS = {"en": "en", "zh": "zh-CN"}  # <html lang> and lang="" per language (web/lang.js too)


def _value(lang: str, key: str) -> str:
    s = STRINGS[lang][key]
    return s if key.endswith("_html") else _html.escape(s, quote=False)


def every_language(key: str) -> str:
    return "".join(f'<span data-l="{lang}" lang="{TAGS[lang]}">{_value(lang, key)}</span>'
                   for lang in LANGS)


def switch() -> str:
    """For each language, links to the page in the others (their own names, in their own
    language); web/features/urlstate.js keeps their href equal to the view's link."""
    return "".join(
        f'<a class="lang-switch" data-l="{lang}" data-lang-to="{other}" href="?lang={other}" '
        f'hreflang="{TAGS[other]}" lang="{TAGS[other]}" '
        f'title="{_html.escape(STRINGS[lang]["lang.switch"])}">'
        f'{_html.escape(STRINGS[other]["lang.name"])}</a>'
        for lang in LANGS for other in LANGS if other != lang)


def model_note(info: dict) -> str:
    """Status.model (web/status.js) in every language: a preset's description in the language
    when the table has it (preset.<name>), else the model's own."""
    def one(lang):
        own = f"preset.{info['name']}"
        description = (STRINGS[lang][own] if own in STRINGS[lang]
                       and info["description"] == STRINGS["en"][own] else info["description"])
        fields = {**info, "description": description}
        template = STRINGS[lang]["status.model_one" if info["layers"] == 1 else "status.model"]
        return re.sub(r"\{(\w+)\}", lambda m: str(fields[m.group(1)]), template)
    return "".join(f'<span data-l="{lang}" lang="{TAGS[lang]}">{_html.escape(one(lang), quote=False)}</span>'
                   for lang in LANGS)


def localize(page: str, model: dict | None = None) -> str:
    page = page.replace("{{LANGS}}", " ".join(LANGS)).replace("{{LANG_SWITCH}}", switch())
    page = page.replace("{{MODEL_NOTE}}", model_note(model) if model else "")
    page = re.sub(r"\{\{t:([\w.]+)\}\}", lambda m: every_language(m.group(1)), page)
    page = re.sub(r"\{\{en:([\w.]+)\}\}",
                  lambda m: _html.escape(STRINGS["en"][m.group(1)]), page)
    if "{{t:" in page or "{{en:" in page:
        raise ValueError("index.html names a string that is not written as {{t:key}} or {{en:key}}")
    return page
