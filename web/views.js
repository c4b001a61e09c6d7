// The views: the BokehJS models of web/page.py, looked up by name, and how a trace is drawn
// into them (drawTrace: everything; drawUnit: the unit plot; drawStep: the step cursors).
// Widgets the controller changes go through set() (web/widgets.js): no echo events.

import { StepCursor } from "./cursor.js";
import { cellLimit } from "./features/preview.js";
import * as i18n from "./i18n.js";
import { ARRAYS, argmax, at } from "./trace.js";

// the figures with a step cursor: a frame around step t and a curtain over the steps after it
// (how opaque: the token strip's words not read yet stay legible)
const HEAT = ["f", "i", "o", "g", "c", "h"];
const CURSORS = [...HEAT.map((k) => [`fig_${k}`, { now: true, veil: 0.9 }]),
  ["tok_fig", { now: true, veil: 0.6 }], ["unit_fig", { now: false, veil: 0.9 }],
  ["probs_fig", { now: true, veil: 0.9 }]];
const fmt = (x) => (Math.abs(x) < 0.005 ? "0" : x.toFixed(2));
/** The page's Bokeh model of this name (in any of its documents: the main one, the tabs). */
export function model(name) {
  for (const doc of window.Bokeh.documents) {
    const found = doc.get_model_by_name(name);
    if (found) return found;
  }
  const named = decodedModels.get(name);
  if (named) return named;
  throw new Error(`the page has no Bokeh model named ${name}`);
}

// A document holds the models of its roots only: those of a piece of the views not built yet
// (web/pieces.js adds each as a root when it builds it) are found here, by name, as decoded.
const decodedModels = new Map();
/** Remember the named models of `doc`, as it is decoded (before it is taken apart). */
export function rememberModels(doc) {
  for (const m of doc.all_models) if (m.name) decodedModels.set(m.name, m);
}

export class Views {
  /** `constants`: the boot data's (web/constants.py). */
  constructor(constants) {
    const m = model;
    this.constants = constants;
    this.src = { cells: m("cells"), tokens: m("tokens"), tokLabels: m("tok_labels"),
                 unit: m("unit_lines"), probs: m("probs"), probLabels: m("prob_labels") };
    this.ndarray = window.Bokeh.require("core/util/ndarray").ndarray; // what image glyphs take
    this.PlainText = window.Bokeh.require("models/text/plain_text").PlainText;
    this.cursors = []; // each once its figure's view is built: built()
    this.heat = HEAT.map((k) => m(`fig_${k}`));
    this.titles = this.heat.map((fig) => fig.title.text);
    this.xRange = this.heat[0].x_range;
    this.cmapC = [m("cmap_c"), m("cmap_c_bar")];
    this.unitFig = m("unit_fig");
    this.unitDots = this.unitFig.renderers.filter((r) => r.name === "unit_dots");
    this.tokFig = m("tok_fig");
    this.probsFig = m("probs_fig");
    this.probsAxis = m("probs_axis");
    this.probsTicks = m("probs_ticks");
    this.w = Object.fromEntries(["text", "preset", "back", "forward", "play", "reset", "scrub",
      "speed", "unit", "layer", "article_0", "article_1", "article_label", "article_gap"]
      .map((k) => [k, m(k)]));
  }

  /** A piece of the views is built (web/pieces.js): the step cursor of its figure, if it has one,
   *  at step `t`. True if it has. */
  built(piece, t) {
    const spec = CURSORS.find(([name]) => name === piece.name);
    if (!spec) return false;
    const cursor = new StepCursor(window.Bokeh.index.get(piece), ...spec);
    cursor.place(t);
    this.cursors.push(cursor);
    return true;
  }

  /** The article's example buttons, shown only for a model that knows every word of both. */
  showArticle(known) {
    for (const k of ["article_label", "article_0", "article_1", "article_gap"]) {
      if (this.w[k].visible !== known) this.w[k].visible = known;
    }
  }

  drawTrace(tr, layer, unit) {
    const { T, H, K } = tr;
    const n = T * H;
    const steps = Array.from({ length: T }, (_, t) => t);
    // the heatmaps are (H, T) images, row = unit, column = step; the trace is (T, H) per layer
    const cells = { x: [-0.5], y: [-0.5], dw: [T], dh: [H],
                    t: [Array(H).fill(steps)], token: [Array(H).fill(tr.tokens)],
                    unit: [Array.from({ length: H }, (_, u) => Array(T).fill(u))] };
    let cmax = 0;
    for (const k of ARRAYS) {
      const a = tr[k], img = new Float64Array(n), off = layer * n;
      for (let t = 0; t < T; t++) for (let u = 0; u < H; u++) img[u * T + t] = a[off + t * H + u];
      if (k === "c") for (let r = 0; r < n; r++) cmax = Math.max(cmax, Math.abs(img[r]));
      cells[k] = [this.ndarray(img, { shape: [H, T] })];
    }
    this.src.cells.data = cells;

    const tags = tr.tags.length ? tr.tags : [i18n.t("view.no_head")];
    const tok = { t: steps, token: [...tr.tokens], note: [], tag: [], p: [], colour: [] };
    const words = { tag_main: [], tag_o: [] };
    // tag probabilities: a (K, T) image, tag k on row K-1-k (the first tag on top)
    const pimg = new Float64Array(K * T);
    const labels = { t: [], y: [], label_light: [], label_dark: [] }; // numbers on short texts
    for (let t = 0; t < T; t++) {
      const best = argmax(tr.probs, K, t);
      tok.note.push(tr.unknown[t] ? "<unk>" : "");
      const tag = K ? tags[best] : "";
      tok.tag.push(tag);
      words.tag_main.push(best === 0 ? "" : tag); // the first tag ("O") is "nothing": in grey
      words.tag_o.push(best === 0 ? tag : "");
      tok.p.push(K ? tr.probs[t * K + best] : NaN);
      tok.colour.push(tr.unknown[t] ? this.constants.theme.token_unk : this.constants.theme.token);
      for (let k = 0; k < K; k++) {
        const p = tr.probs[t * K + k];
        pimg[(K - 1 - k) * T + t] = p;
        if (T <= 40) { // numbers fit in the boxes
          labels.t.push(t); labels.y.push(K - 1 - k);
          const flip = p > this.constants.theme.probs_flip; // "label_light": the other text colour
          labels.label_light.push(flip ? fmt(p) : ""); labels.label_dark.push(flip ? "" : fmt(p));
        }
      }
    }
    this.src.tokens.data = tok;
    // words in the strip and dots on the unit's lines only while they can be told apart
    const legible = T <= this.constants.legible_steps;
    this.src.tokLabels.data = legible ? { t: steps, token: tok.token, note: tok.note, ...words }
      : { t: [], token: [], note: [], tag_main: [], tag_o: [] };
    const title = legible ? i18n.t("view.tokens") : i18n.t("view.tokens_many", { n: T });
    if (this.tokFig.title.text !== title) this.tokFig.title.text = title;
    for (const dots of this.unitDots) if (dots.visible !== legible) dots.visible = legible;
    const rows = Math.max(K, 1);
    this.src.probs.data = K ? {
      x: [-0.5], y: [-0.5], dw: [T], dh: [K], p: [this.ndarray(pimg, { shape: [K, T] })],
      t: [Array(K).fill(steps)], token: [Array(K).fill(tr.tokens)],
      tag: [Array.from({ length: K }, (_, j) => Array(T).fill(tags[K - 1 - j]))],
    } : { x: [], y: [], dw: [], dh: [], p: [], t: [], tag: [], token: [] };
    this.src.probLabels.data = labels;
    this.probsFig.y_range.setv({ start: -0.5, end: rows - 0.5 });
    const ticks = Array.from({ length: rows }, (_, j) => j);
    if (String(this.probsTicks.ticks) !== String(ticks)) this.probsTicks.ticks = ticks;
    // tick j is named by tag K-1-j, as plain text (a string would be parsed for TeX delimiters).
    // The map never loses a key: on a change BokehJS 3.10 removes every label view but keeps the
    // keys the new map lacks, and removes their views again on the next change ("view was
    // already destroyed" warnings). Keys past the ticks get an empty label (no tick draws it).
    const names = ticks.map((j) => tags[rows - 1 - j]);
    if (String(names) !== String(this.probsNames)) {
      this.probsNames = names;
      this.probsKeys = Math.max(this.probsKeys || 0, rows);
      this.probsAxis.major_label_overrides = new Map(Array.from({ length: this.probsKeys },
        (_, j) => [j, new this.PlainText({ text: j < rows ? names[j] : "" })]));
    }

    // a pending trace (opening.js: its values not computed yet) says so in every title
    this.heat.forEach((fig, j) => {
      const title = tr.pending ? i18n.t("embed.computing", { title: this.titles[j] }) : this.titles[j];
      if (fig.title.text !== title) fig.title.text = title;
    });
    cmax = cellLimit(cmax);
    for (const mapper of this.cmapC) mapper.setv({ low: -cmax, high: cmax }); // image and colour bar

    this.xRange.setv({ start: -0.5, end: Math.max(T, 1) - 0.5 });
    for (const fig of this.heat) fig.y_range.setv({ start: -0.5, end: H - 0.5 });
    this.w.unit.options = Array.from({ length: H }, (_, u) => [String(u), i18n.t("view.unit_option", { u })]);
    this.w.layer.options = Array.from({ length: tr.L }, (_, l) => [String(l), i18n.t("view.layer_option", { l })]);
    this.w.layer.disabled = tr.L < 2;
    this.drawUnit(tr, layer, unit);
  }

  drawUnit(tr, layer, unit) {
    const lines = { t: [], token: [...tr.tokens], f: [], i: [], o: [], c: [], h: [] };
    let lo = -1, hi = 1;
    for (let t = 0; t < tr.T; t++) {
      lines.t.push(t);
      for (const k of ["f", "i", "o", "c", "h"]) {
        const v = at(tr, k, layer, t, unit);
        lines[k].push(v);
        if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      }
    }
    this.src.unit.data = lines;
    // in whole halves (gates and h stay in -1..1): a retrace rarely changes the range, and so
    // rarely repaints the plot's axes (see page.py)
    this.unitFig.y_range.setv({ start: Math.floor(lo * 2) / 2 - 0.05, end: Math.ceil(hi * 2) / 2 + 0.05 });
    this.unitFig.title.text = tr.L > 1 ? i18n.t("view.unit_title_layer", { u: unit, l: layer })
      : i18n.t("view.unit_title", { u: unit });
  }

  drawStep(t, T) {
    for (const c of this.cursors) c.place(t);
    const scrub = this.w.scrub;
    scrub.setv({ end: Math.max(T - 1, 1), value: t, disabled: T < 2 });
  }
}
