// The prerendered trace as plain pictures, on screen before BokehJS has loaded and laid out the
// interactive views (not a feature itself; app.js draws it first and removes it once BokehJS has
// painted). BokehJS needs 1-2 s of main-thread time on a slow machine to build the views; this
// needs a few milliseconds. Its geometry (style.css, "#pysim-preview") follows the BokehJS layout
// of web/page.py and web/responsive.py, so the views replace the pictures in place: empty boxes
// where the controls will be (the same sizes, wrapping the same way), the token strip, the six
// heatmaps in one wrapping row (three a line, two, or one, as the views), room for the two plots
// below them. It shares a grid cell with <main>: the page below it does not move when it goes.
// It draws what the page opens on (web/opening.js): the link's own trace and step, or, for a
// text Python has yet to compute, its words with the views marked as computing; and only the
// parts an embed's &views= names (web/viewset.js). Each part names the views it stands for
// (data-pieces: their model names); app.js hides it once web/pieces.js has built them.

import { t } from "../i18n.js";
import { words } from "../opening.js";
import { at, traceFromJson } from "../trace.js";
import { cellValues, equations } from "./diagram.js";

/** The memory cell's colour limit: symmetric around 0, |C| rounded up to a half, at least 1
 *  (the views' colour bar and these pictures use the same). */
export const cellLimit = (maxAbs) => Math.max(1, Math.ceil(maxAbs * 2) / 2 || 0); // NaN: 1

const el = (tag, { dataset = {}, ...props } = {}, ...children) => {
  const e = Object.assign(document.createElement(tag), props);
  Object.assign(e.dataset, dataset);
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
const ROWS = ["row_text", "row_article", "row_steps"]; // web/page.py's rows of widgets
const CONTROLS = [["m w150", "m grow240"], ["l", "b w230", "b w230", "g w20", "b w210"],
  ["b w80", "b w80", "b w90", "b w80", "s grow200", "g w12", "v w170", "m w80", "m w80"]];

function controls(note) {
  const lines = CONTROLS.map((line, k) => el("div",
    { className: "pv-line", dataset: { pieces: ROWS[k] } }, // each line stands for one row
    ...line.map((cls) => el("div", { className: `pv-w ${cls}` }))));
  lines[0].lastChild.append(note);
  return el("div", { className: "pv-controls" }, ...lines);
}

/** Draw what the page opens on (opening.js: `open`, its trace or, pending, its words) into
 *  `root`, only the parts `chosen` names (viewset.js; null: the whole page), in the colour
 *  scales of the theme app.js chose (boot.theme: light or dark); returns the element. */
export function drawPreview(root, boot, open, chosen = null) {
  const { preview, constants } = boot;
  const show = (v) => !chosen || chosen.includes(v);
  const trace = open.trace;
  const tokens = trace ? trace.tokens : words(open.text);
  const T = tokens.length;
  const now = Math.min(open.t ?? T - 1, T - 1); // the step the page opens on
  const l = trace ? Math.min(open.layer ?? 0, trace.layers.length - 1) : 0;
  const layer = trace && trace.layers[l];
  const H = layer && T ? layer.f[0].length : 0;
  const strip = el("div", { className: "pv-words" });
  for (const [t, token] of tokens.entries()) {
    const span = el("span", {}, T <= constants.legible_steps ? token : "");
    span.classList.toggle("unk", Boolean(trace && trace.unknown[t]));
    span.classList.toggle("now", t === now);
    strip.append(span);
  }
  const heat = preview.heatmaps.filter(([key]) => show(key)).map(([key, kind]) => {
    const title = t(`heat.${key}`); // web/strings.py
    if (!layer) { // pending: its values are Python's to compute
      return el("div", { className: "pv-heat pending", dataset: { pieces: `fig_${key}` } },
        el("div", { className: "pv-title" }, t("embed.computing", { title })),
        el("div", { className: "pv-wait" }, t("embed.preview.computing")));
    }
    let [low, high] = preview.ranges[kind];
    if (kind === "cell") {
      const cmax = cellLimit(Math.max(...layer.c.flat().map(Math.abs)));
      [low, high] = [-cmax, cmax];
    }
    const canvas = heatCanvas(layer[key], T, H, preview.palettes[boot.theme || "light"][kind], low, high);
    return el("div", { className: "pv-heat", dataset: { key, pieces: `fig_${key}` } },
      el("div", { className: "pv-title" }, title), canvas);
  });
  const parts = [];
  if (!chosen) parts.push(controls(t("preview.loading")));
  else if (show("text") || show("steps")) {
    parts.push(el("div", { className: `pv-controls${show("text") ? " text" : ""}${show("steps") ? " steps" : ""}`,
                           dataset: { pieces: ROWS.join(" ") } }, t("embed.preview.loading")));
  }
  if (show("tokens")) {
    parts.push(el("div", { className: "pv-strip", dataset: { pieces: "tok_fig" } },
      el("div", { className: "pv-title" }, t("view.tokens")), strip));
  }
  if (heat.length) parts.push(el("div", { className: "pv-heats" }, ...heat));
  // where the unit plot and the tag probabilities will be: side by side or stacked
  if (!chosen) {
    parts.push(el("div", { className: "pv-pairs" },
      el("div", { className: "pv-pair", dataset: { pieces: "unit_fig" } }),
      el("div", { className: "pv-pair", dataset: { pieces: "probs_fig" } })));
  } else if (show("unit") || show("probs")) {
    parts.push(el("div", { className: "pv-row lines", dataset: { pieces: "unit_fig probs_fig" } },
      el("div", {}, t("embed.preview.loading"))));
  }
  if (chosen && show("diagram")) parts.push(diagramText(open, trace, tokens, now, l));
  const box = el("div", { id: "pysim-preview", ariaHidden: "true" }, ...parts);
  root.append(box);
  return box;
}

/** The cell diagram's equations (as its tab shows them) for the opening step, as text. */
function diagramText(open, trace, tokens, now, l) {
  const u = open.unit ?? 0;
  let lines;
  if (trace && u < trace.layers[l].f[0].length) {
    const tr = traceFromJson(trace);
    lines = equations(cellValues(tr, at, l, now, u), tokens[now], now, u, l, new Set());
  } else {
    lines = [t("embed.preview.diagram", { t: now, token: tokens[now] ?? "", unit: u }), "",
             t("embed.preview.computing")];
  }
  return el("div", { className: "pv-diagram" }, el("pre", {}, lines.join("\n")));
}

/** The pictures of the parts whose views are all built (`built`: their model names) are hidden,
 *  uncovering the views in their place (web/pieces.js builds them one at a time); the rest
 *  stays. */
export function reveal(box, built) {
  for (const part of box.querySelectorAll("[data-pieces]")) {
    if (part.dataset.pieces.split(" ").every((n) => built.has(n))) part.style.visibility = "hidden";
  }
}

/** The step the pictures' token strip frames (the keyboard steps before the views are built). */
export function markStep(box, t) {
  box.querySelectorAll(".pv-words span").forEach((span, k) => span.classList.toggle("now", k === t));
}

/** The height of the picture that stands for piece `name` alone (0: none does). */
export function pictureHeight(box, name) {
  const part = [...box.querySelectorAll("[data-pieces]")].find((e) => e.dataset.pieces === name);
  return part ? part.offsetHeight : 0;
}
