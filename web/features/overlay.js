// HTML over a BokehJS plot (not a feature itself; used by the step cursor, cursor.js, and the cell diagram).
//
// An element lives in the plot's own HTML overlay layer: above its canvases, below the layer
// that takes its mouse events (so hover tools still work). Changing it repaints no canvas: a
// step moves a few boxes and rewrites a few text nodes instead of making BokehJS repaint plots
// (~25 ms a step with 9 plots before, benchmarks/README.md). `place(el, frame)` positions it
// from the plot's frame (frame.bbox in CSS pixels, frame.x_scale / y_scale: data -> pixels); it
// is called again after every repaint of the plot, which follows any resize or range change.

export class PlotOverlay {
  constructor(plotView) {
    this.view = plotView;
    this.items = [];
    plotView.repainted.connect(() => this.place());
  }

  /** A new element (tag) with the given inline style, placed by place(el, frame). */
  add(place, style = {}, tag = "div") {
    const el = document.createElement(tag);
    Object.assign(el.style, { position: "absolute", pointerEvents: "none", margin: "0",
                              boxSizing: "border-box" }, style);
    this.view.canvas_view.overlays_el.append(el);
    this.items.push([el, place]);
    place(el, this.view.frame);
    return el;
  }

  place() {
    for (const [el, place] of this.items) place(el, this.view.frame);
  }
}

/** Set an element's box (CSS pixels in the plot's canvas). */
export function setBox(el, left, top, width, height) {
  el.style.left = `${left}px`;
  el.style.top = `${top}px`;
  el.style.width = `${Math.max(0, width)}px`;
  el.style.height = `${Math.max(0, height)}px`;
}
