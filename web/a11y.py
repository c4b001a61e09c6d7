"""Keyboard and screen-reader support that is decided at build time, for every Bokeh document of
the page (web/documents.py page_item calls `prepare` on each layout).

- One stylesheet (FOCUS_CSS, an InlineStyleSheet; the page's CSP allows inline styles) is added
  to every BokehJS widget, layout and plot: each lives in a shadow root of its own, where the
  page's style.css does not reach. It draws the keyboard focus ring (`:focus-visible`, 3 px in
  `var(--focus)`, >= 3:1 against the page) on buttons, inputs, selects, slider handles and tabs,
  and gives the coloured buttons (Play, Start training, Add clamp, ...) backgrounds on which
  their white text has >= 4.5:1 contrast (BokehJS's own: 3.6:1 and 2.5:1).
- No plot has the Bokeh logo: a link in the tab order that nothing reads.

What needs the live page (names for slider handles, the tabs' roles and keys, the plots'
canvases and toolbars out of the tab order, the spoken step) is web/features/a11y.js.
"""
from __future__ import annotations

from bokeh.models import InlineStyleSheet, Plot, UIElement

# the colours are CSS variables (web/style.css, `---- a11y` block) so a theme can change them;
# the fallbacks are the light theme's
FOCUS_CSS = """
:focus-visible, .bk-btn:focus-visible, .bk-input:focus-visible, .noUi-handle:focus-visible,
.bk-tab:focus-visible {
  outline: 3px solid var(--focus, #0b5cad) !important; outline-offset: 2px;
}
.bk-btn:focus:not(:focus-visible) { outline: none; }
.bk-tab:focus-visible { outline-offset: -3px; }
.bk-btn-primary, .bk-btn-primary:hover, .bk-btn-primary:focus, .bk-btn-primary.bk-active {
  background-color: var(--button-primary, #1d5a96); border-color: var(--button-primary-edge, #174a7c);
  color: rgb(255, 255, 255); /* not a literal a theme recolours */
}
.bk-btn-success, .bk-btn-success:hover, .bk-btn-success:focus, .bk-btn-success.bk-active {
  background-color: var(--button-success, #1e6b30); border-color: var(--button-success-edge, #175425);
  color: rgb(255, 255, 255); /* not a literal a theme recolours */
}
.bk-btn-primary.bk-active, .bk-btn-success.bk-active { filter: brightness(0.85); }
"""


def prepare(layout) -> None:
    """The focus ring and the buttons' colours on every element of `layout`; no Bokeh logos."""
    sheet = InlineStyleSheet(css=FOCUS_CSS)
    for model in layout.select({"type": UIElement}):
        if sheet not in model.stylesheets:
            model.stylesheets = [*model.stylesheets, sheet]
    for plot in layout.select({"type": Plot}):
        plot.toolbar.logo = None
