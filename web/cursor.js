// The step cursor of a figure with a step axis (views.js puts one on each).

import { PlotOverlay, setBox } from "./features/overlay.js";

/** The step cursor of one figure, as HTML over the plot (features/overlay.js): a box clipped to
 *  the plot's frame holds the frame around step t and the curtain after it. A step only changes
 *  their `transform`: the compositor moves them, nothing is repainted, no canvas re-uploaded. */
export class StepCursor {
  constructor(plotView, name, { now, veil }) {
    this.t = 0;
    this.overlay = new PlotOverlay(plotView);
    this.clip = this.overlay.add((el, frame) => {
      const { bbox, x_scale } = frame;
      setBox(el, bbox.left, bbox.top, bbox.width + 1, bbox.height + 1); // + the last pixel row/column
      if (!this.curtain) return; // add() places the clip box before its parts exist
      this.x0 = x_scale.compute(0) - bbox.left;           // step 0's centre, in the clip box
      this.dx = x_scale.compute(1) - x_scale.compute(0);  // pixels per step
      setBox(this.curtain, 0, 0, bbox.width + 1, bbox.height + 1);
      if (this.now) setBox(this.now, 0, 0, this.dx, bbox.height + 1);
      this.move();
    }, { overflow: "hidden" });
    const part = (kind, style) => {
      const el = document.createElement("div");
      el.dataset.cursor = `${kind}_${name}`;
      Object.assign(el.style, { position: "absolute", boxSizing: "border-box", willChange: "transform" }, style);
      this.clip.append(el);
      return el;
    };
    // the page's background and ink (style.css variables: light or dark theme)
    this.curtain = part("curtain", { background: `color-mix(in srgb, var(--bg) ${veil * 100}%, transparent)` });
    this.now = now ? part("now", { border: "2px solid var(--ink)" }) : null;
    this.overlay.place();
  }

  move() {
    const left = this.x0 + (this.t - 0.5) * this.dx; // step t's left edge
    this.curtain.style.transform = `translateX(${left + this.dx}px)`;
    if (this.now) this.now.style.transform = `translateX(${left}px)`;
  }

  place(t) {
    this.t = t;
    if (this.dx !== undefined) this.move();
  }
}
