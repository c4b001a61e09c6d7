// Touch on the views: a swipe left or right on the token strip or a heatmap steps the trace (a
// swipe to the left shows the next word, as turning a page; to the right, the word before); a tap
// (or a click) on one seeks to the step under the finger. Vertical swipes stay the page's: these
// plots get `touch-action: pan-y pinch-zoom`, so the browser still scrolls and zooms the page and
// sends them pointer events only for sideways gestures (a scroll ends in pointercancel, ignored).
// Thresholds: boot constants "touch" (web/constants.py): swipe_px, the least sideways travel of a
// swipe (and at least twice its vertical travel); tap_px, the most a tap may move.

/** The figures that take gestures: the token strip and the six heatmaps (web/page.py). */
export const SWIPE_VIEWS = ["tok_fig", ...["f", "i", "o", "g", "c", "h"].map((k) => `fig_${k}`)];

/** The step under client x, y on the plot `view`, or null outside its frame. */
function stepAt(view, x, y) {
  const origin = view.canvas_view.events_el.getBoundingClientRect();
  const [px, py] = [x - origin.left, y - origin.top];
  const { bbox, x_scale } = view.frame;
  if (px < bbox.left || px > bbox.right || py < bbox.top || py > bbox.bottom) return null;
  return Math.round(x_scale.invert(px));
}

/** Connect the gestures on `piece` (a root of the views: web/pieces.js builds them one at a time),
 *  if it takes them, to the controller (`touch`: the boot thresholds). */
export function wireSwipe(ctl, touch, piece) {
  if (SWIPE_VIEWS.includes(piece.name)) {
    const view = window.Bokeh.index.get_one(piece);
    const el = view.el;
    el.style.touchAction = "pan-y pinch-zoom";
    let start = null;
    el.addEventListener("pointerdown", (ev) => {
      start = ev.isPrimary && ev.button === 0 ? { x: ev.clientX, y: ev.clientY } : null;
    });
    el.addEventListener("pointercancel", () => { start = null; });
    el.addEventListener("pointerup", (ev) => {
      if (!start) return;
      const [dx, dy] = [ev.clientX - start.x, ev.clientY - start.y];
      start = null;
      if (Math.abs(dx) >= touch.swipe_px && Math.abs(dx) >= 2 * Math.abs(dy)) {
        ctl.step(dx < 0 ? 1 : -1);
      } else if (Math.hypot(dx, dy) <= touch.tap_px) {
        const t = stepAt(view, ev.clientX, ev.clientY);
        if (t !== null && t >= 0 && t < ctl.trace.T && t !== ctl.t) ctl.seek(t);
      }
    });
  }
}
