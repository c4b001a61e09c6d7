"""How the page reflows from a 320-px phone to a 1920-px screen (and in a 700-px blog iframe),
and how big its tap targets are on touch screens. One pass, `reflow(layout)`, over a Bokeh layout
(the views of web/page.py, the tabs of web/panels/):

- every Row wraps (`flex-wrap: wrap` on its host element: BokehJS 3 lays a Row out as a CSS flex
  box; a fixed-size child goes to the next line once its width does not fit);
- BASIS gives the models that stretch the width below which they go to a line of their own
  (`flex: 1 1 <basis>`: a line takes as many as fit at that width, then they grow to fill it;
  alone on a line narrower than it, one shrinks to the line).
  The six heatmaps share one row (web/page.py): with HEAT_MIN they sit three a line from 1000 px
  (3 x 320 + the page's 2 x 20 px padding), two from 680 px, one below; the unit plot and the
  tag probabilities side by side from 680 px, stacked below. style.css repeats these breakpoints
  for what is drawn before BokehJS (the prerendered pictures, `main`'s height); a test
  (tests/web/test_layout.py) checks both agree;
- a fixed-size widget is at most MAX_FIXED wide (it fits a 320-px phone);
- every widget gets TOUCH_CSS: the tabs' heads and PreText's lines wrap; on a coarse pointer or
  a narrow screen (<= 640 px) buttons, menus, text boxes, tabs and the slider's handle are at
  least 44 x 44 px (WCAG 2.5.5's size).

It works through CSS only (`styles`, InlineStyleSheet in the shadow roots: allowed by the site's
policy, `style-src 'self' 'unsafe-inline'`, which BokehJS needs anyway), so nothing is computed in
JavaScript on a resize and no layout is fixed at build time.
"""
from __future__ import annotations

from bokeh.models import InlineStyleSheet, LayoutDOM, Row, Widget
from bokeh.models import Tabs

PAD_WIDE, PAD_NARROW = 20, 8  # body's side padding (style.css): wide screens, <= NARROW px
NARROW = 640                  # phones and 200 % zoom of a 1280-px window (WCAG 1.4.10)
HEAT_MIN = 320                # a heatmap's narrowest box: its plot area >= 150 px on a 320-px phone
PAIR_MIN = 320                # the unit plot's and the tag probabilities' narrowest box
# model name -> flex basis (px): below it the model takes a line of its own
BASIS = {**{f"fig_{k}": HEAT_MIN for k in "fiogch"},
             "unit_fig": PAIR_MIN, "probs_fig": PAIR_MIN,
             "text": 240,       # the sentence box (next to the Model menu on a wide line)
             "scrub": 200,      # the step slider
             "diagram_box": 500, "diagram_eq_fig": 290,
             "delta_c_fig": PAIR_MIN, "delta_h_fig": PAIR_MIN,
             "train_loss_fig": PAIR_MIN, "train_acc_fig": PAIR_MIN, "train_sentence": 240}
# the three-a-line and two-a-line breakpoints of the heatmaps (viewport widths, px)
BREAKPOINTS = {"three": 3 * HEAT_MIN + 2 * PAD_WIDE, "two": 2 * HEAT_MIN + 2 * PAD_WIDE}

# the widest fixed-size widget: it fits a 320-px phone (the page's padding, the widget's margins)
MAX_FIXED = 320 - 2 * PAD_NARROW - 2 * 5

TAP = 44  # px
TOUCH_CSS = f"""
.bk-headers-wrapper {{ flex-wrap: wrap; flex: 1 1 auto; min-width: 0; }}
pre {{ white-space: pre-wrap; overflow-wrap: anywhere; }}  /* PreText: its lines wrap */
@media (pointer: coarse), (max-width: {NARROW}px) {{
  .bk-btn, .bk-input, select.bk-input, .bk-tab {{ min-height: {TAP}px; }}
  .bk-btn {{ min-width: {TAP}px; }}
  .bk-tab {{ display: inline-flex; align-items: center; }}
  .bk-input-group input[type=file] {{ min-height: {TAP}px; }}
  :host {{ --handle-width: {TAP}px; --handle-height: {TAP}px; }}  /* BokehJS's slider sizes */
  .noUi-target.noUi-horizontal {{ margin-left: {TAP // 2 - 4}px; margin-right: {TAP // 2 - 4}px;
                                 width: calc(100% - {TAP - 8}px); }}
  .noUi-horizontal .noUi-handle {{ border-radius: 50%; }}
}}
"""


def reflow(layout: LayoutDOM) -> LayoutDOM:
    """Make `layout` (and everything in it) reflow and touch-sized; returns it."""
    touch = InlineStyleSheet(css=TOUCH_CSS)  # one per document: a model lives in one only
    for obj in layout.select({"type": LayoutDOM}):
        if isinstance(obj, Row):
            obj.styles = {**obj.styles, "flex-wrap": "wrap", "min-width": "0"}  # in a tab: a grid item
        if isinstance(obj, (Widget, Tabs)):
            obj.stylesheets = [*obj.stylesheets, touch]
        if isinstance(obj, Widget) and obj.sizing_mode is None and (obj.width or 0) > MAX_FIXED:
            obj.width = MAX_FIXED
        if obj.name in BASIS:
            obj.styles = {**obj.styles, "flex": f"1 1 {BASIS[obj.name]}px"}
            obj.min_width = None  # the basis decides; alone on a narrow line it may shrink
    return layout
