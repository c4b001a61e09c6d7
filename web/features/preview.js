// The prerendered trace as plain pictures, on screen before BokehJS has loaded and laid out the
// interactive views (not a feature itself; app.js draws it first and removes it once BokehJS has
// painted). BokehJS needs 1-2 s of main-thread time on a slow machine to build the views; this
// needs a few milliseconds. Its geometry (style.css, "#pysim-preview") follows the BokehJS layout
// of web/page.py and web/responsive.py, so the views replace the pictures in place: empty boxes
// where the controls will be (the same sizes, wrapping the same way), the token strip, the six
// heatmaps in one wrapping row (three a line, two, or one, as the views), room for the two plots
// below them. It shares a grid cell with <main>: the page below it does not move when it goes.

/** The memory cell's colour limit: symmetric around 0, |C| rounded up to a half, at least 1
 *  (the views' colour bar and these pictures use the same). */
export const cellLimit = (maxAbs) => Math.max(1, Math.ceil(maxAbs * 2) / 2);

const el = (tag, props = {}, ...children) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
};

/** A (T, H) block of the trace as a canvas of H rows (unit 0 at the bottom) by T columns. */
function heatCanvas(values, T, H, palette, low, high) {
  const canvas = el("canvas", { width: Math.max(T, 1), height: Math.max(H, 1) });
  const ctx = canvas.getContext("2d");
  const img = ctx.createImageData(canvas.width, canvas.height);
  const rgb = palette.map((c) => [1, 3, 5].map((k) => parseInt(c.slice(k, k + 2), 16)));
  for (let t = 0; t < T; t++) {
    for (let u = 0; u < H; u++) {
      const x = (values[t][u] - low) / (high - low);
      const [r, g, b] = rgb[Math.min(rgb.length - 1, Math.max(0, Math.floor(x * rgb.length)))];
      const p = ((H - 1 - u) * T + t) * 4;
      img.data.set([r, g, b, 255], p);
    }
  }
  ctx.putImageData(img, 0, 0);
  return canvas;
}

/** Boxes where the controls' three rows will be (web/page.py): each class of style.css's
 *  "#pysim-preview .pv-w" gives a widget's size (with its 5-px margin), so they wrap as the
 *  widgets do. Letters: m menu or text box with a title (grow: stretches), b button, l the
 *  article's label, g a gap, s the step slider, v the speed slider. */
const CONTROLS = [["m w150", "m grow240"], ["l", "b w230", "b w230", "g w20", "b w210"],
  ["b w80", "b w80", "b w90", "b w80", "s grow200", "g w12", "v w170", "m w80", "m w80"]];

function controls(note) {
  const lines = CONTROLS.map((line) => el("div", { className: "pv-line" },
    ...line.map((cls) => el("div", { className: `pv-w ${cls}` }))));
  lines[0].lastChild.append(note);
  return el("div", { className: "pv-controls" }, ...lines);
}

/** Draw the boot trace (layer 0) into `root`; returns the preview element. */
export function drawPreview(root, boot) {
  const { trace, preview, constants } = boot;
  const layer = trace.layers[0];
  const T = trace.tokens.length, H = T ? layer.f[0].length : 0;
  const words = el("div", { className: "pv-words" });
  for (const [t, token] of trace.tokens.entries()) {
    const span = el("span", {}, T <= constants.legible_steps ? token : "");
    span.classList.toggle("unk", Boolean(trace.unknown[t]));
    span.classList.toggle("now", t === T - 1); // the page opens on the last step
    words.append(span);
  }
  const heat = preview.heatmaps.map(([key, title, kind]) => {
    let [low, high] = preview.ranges[kind];
    if (kind === "cell") {
      const cmax = cellLimit(Math.max(...layer.c.flat().map(Math.abs)));
      [low, high] = [-cmax, cmax];
    }
    const canvas = heatCanvas(layer[key], T, H, preview.palettes[kind], low, high);
    return el("div", { className: "pv-heat" }, el("div", { className: "pv-title" }, title), canvas);
  });
  const box = el("div", { id: "pysim-preview", ariaHidden: "true" },
    controls("Loading the controls\u2026"),
    el("div", { className: "pv-strip" }, el("div", { className: "pv-title" },
      constants.token_title), words),
    el("div", { className: "pv-heats" }, ...heat),
    // where the unit plot and the tag probabilities will be: side by side or stacked
    el("div", { className: "pv-pairs" }, el("div", { className: "pv-pair" }),
      el("div", { className: "pv-pair" })));
  root.append(box);
  return box;
}
