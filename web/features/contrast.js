// Contrast (web/panels/contrast.py): two texts, one model. Which units remember what tells them
// apart (Session.contrast), proof by patching their state from run A into run B until B's tag
// flips (Session.flip), ablation (Session.ablate), and one unit across a corpus with the units a
// selection of words turns on (Session.corpus, corpus_select). The tab runs on first opening and
// again when the model changes while it is open.
// window.pysim: contrast(a, b), patch({from, to, units, t, what}), ablate({text, units}),
// flip({from, to, t, what}), corpus({source, lines, layer, unit, what}),
// corpusSelect({sentence, steps, top}); each resolves with plain data once the tab shows it.
// URL state: `state` below, read and restored by the rows of web/features/urlstate.js FIELDS.
import { t } from "../i18n.js";
import { argmax, traceFromWorker, traceToJson } from "../trace.js";
import { quiet } from "../util.js";

const DEFAULTS = { what: "c", t: null, source: "held-out", quantity: "c", unit: null, a: null, b: null };
/** The tab's state that lives in the URL (null: the default); urlstate.js reads and sets it. */
export const state = { ...DEFAULTS };
export const isDefault = (key) => state[key] === DEFAULTS[key];
let changed = () => {}; // install(): tells urlstate.js (a "contrast" event on the controller)
let applyState = () => {}; // install(): shows a restored state in the widgets

export function setState(key, value) {
  state[key] = value;
  applyState();
}

const unitLabel = (l, u) => t("contrast.unit_label", { layer: l, unit: u });
const fmt = (p) => Number(p).toFixed(3);
const plainUnits = (units) => units.map((u) => ({ layer: Number(u.layer ?? 0), unit: Number(u.unit) }));

export function install({ ctl, m, bridge, tabs }) {
  const w = Object.fromEntries(["a", "b", "run", "units", "what", "step", "flip", "ablate",
    "patch_result", "source", "quantity", "unit", "show", "find", "lines", "corpus_status",
    "found", "lines_a", "lines_b", "tags", "probs", "words", "cmap", "c_fig", "tags_fig",
    "prob_fig", "corpus_fig"].map((k) => [k, m(`contrast_${k}`)]));
  const look = ctl.boot.constants.contrast; // web/constants.py CONTRAST
  const { pred: same, changed: differ } = ctl.boot.constants.theme; // the theme's (web/constants.py THEMES)
  const cells = { same, differ };
  const { units: colours, corpus_rows: rows } = look;
  const topUnit = (r) => `${r.units[0].layer}:${r.units[0].unit}`;
  let drawing = false; // drawContrast sets the step and unit menus: not a user's choice
  let last = null;     // the last contrast: {a, b, r (the worker's answer), preset}
  let corpusView = null; // the last corpus view: {order, lengths, shown rows}

  // ---- contrast -----------------------------------------------------------------------------
  async function contrast(a, b) {
    a = String(a ?? w.a.value); b = String(b ?? w.b.value);
    await bridge.need("contrast");
    let r;
    try {
      r = await bridge.call("contrast", a, b);
    } catch (err) {
      w.units.text = t("contrast.failed", { msg: err.message });
      throw err;
    }
    last = { a, b, r, preset: ctl.preset };
    if (w.a.value !== a) w.a.value = a;
    if (w.b.value !== b) w.b.value = b;
    state.a = a === DEFAULTS.a ? null : a;
    state.b = b === DEFAULTS.b ? null : b;
    drawContrast(r);
    changed();
    return { steps: [...r.steps], units: r.units.map((u) => ({ ...u, dc: [...u.dc], dh: [...u.dh] })),
             tagsA: [...r.tagsA], tagsB: [...r.tagsB], tokensA: [...r.tokensA], tokensB: [...r.tokensB] };
  }

  function drawContrast(r) {
    drawing = true;
    try { drawContrastViews(r); } finally { drawing = false; }
  }

  function drawContrastViews(r) {
    const [, H] = r.shape, TA = r.tokensA.length, TB = r.tokensB.length;
    const top = r.units.slice(0, colours.length);
    const line = (c, T, u, k) => ({ xs: Array.from({ length: T }, (_, s) => s),
      ys: Array.from({ length: T }, (_, s) => c[(u.layer * T + s) * H + u.unit]), colour: colours[k] });
    for (const [src, c, T, name] of [[w.lines_a, r.a_c, TA, "A"], [w.lines_b, r.b_c, TB, "B"]]) {
      const ls = top.map((u, k) => line(c, T, u, k));
      src.data = { xs: ls.map((x) => x.xs), ys: ls.map((x) => x.ys), colour: ls.map((x) => x.colour),
                   label: top.map((u) => `${unitLabel(u.layer, u.unit)} (${name})`) };
    }
    const ys = [...w.lines_a.data.ys.flat(), ...w.lines_b.data.ys.flat()];
    const big = Math.max(1e-3, ...ys.map(Math.abs));
    const T = Math.max(TA, TB, 1);
    w.c_fig.y_range.setv({ start: -1.1 * big, end: 1.1 * big });
    for (const fig of [w.c_fig, w.tags_fig]) fig.x_range.setv({ start: -0.5, end: T - 0.5 });
    const differ = new Set(r.steps);
    const d = { t: [], run: [], label: [], colour: [] };
    for (const [run, toks, tags] of [["A", r.tokensA, r.tagsA], ["B", r.tokensB, r.tagsB]]) {
      toks.forEach((tok, s) => {
        d.t.push(s); d.run.push(run); d.label.push(tags.length ? `${tok}\n${tags[s]}` : tok);
        d.colour.push(differ.has(s) ? cells.differ : cells.same);
      });
    }
    w.tags.data = d;
    const where = r.steps.length ? t("contrast.where_diff") : t("contrast.where_all");
    const list = r.units.slice(0, 5).map((u) => `${unitLabel(u.layer, u.unit)} (${u.score.toFixed(2)})`).join(", ");
    w.units.text = t("contrast.units", { where, list });
    const common = Math.min(TA, TB);
    w.step.options = Array.from({ length: common }, (_, s) => [String(s), `${s}: ${r.tokensA[s]} / ${r.tokensB[s]}`]);
    const want = state.t !== null && state.t < common ? state.t : r.default_t;
    w.step.value = String(want);
    w.unit.options = r.units.map((u) => [`${u.layer}:${u.unit}`, unitLabel(u.layer, u.unit)]);
    const known = state.unit !== null && w.unit.options.some(([v]) => v === state.unit);
    w.unit.value = known ? state.unit : topUnit(r);
    w.patch_result.text = "";
    w.probs.data = { bar: [], p: [], colour: [] };
  }

  const ensure = () => (last && last.preset === ctl.preset && last.a === w.a.value && last.b === w.b.value
    ? Promise.resolve(last) : contrast().then(() => last));

  // ---- patching and ablation ----------------------------------------------------------------
  async function flip({ from, to, t: step, what } = {}) {
    if (from !== undefined || to !== undefined) await contrast(from ?? w.a.value, to ?? w.b.value);
    const { a, b, r: c } = await ensure();
    what = what ?? w.what.value;
    step = step ?? Number(w.step.value);
    const r = await bridge.call("flip", a, b, step, what);
    const token = c.tokensB[r.t], word = r.at === null ? "" : c.tokensB[r.at];
    if (r.at === null) {
      w.patch_result.text = t("contrast.nothing", { t: r.t });
    } else {
      const after = r.after[r.after.length - 1];
      const units = r.units.map((u) => unitLabel(u.layer, u.unit)).join(", ");
      w.patch_result.text = r.k
        ? t("contrast.flipped", { k: r.k, units, t: r.t, token, word, from: r.tag_b, to: r.tag_a,
                                  before: fmt(r.before), after: fmt(after) })
        : t("contrast.not_flipped", { k: r.after.length, t: r.t, word, to: r.tag_a,
                                      before: fmt(r.before), after: fmt(after) });
    }
    const bars = [t("contrast.before"), ...r.after.map((_, k) => t("contrast.top_k", { k: k + 1 }))];
    w.prob_fig.x_range.factors = bars;
    w.probs.data = { bar: bars, p: r.before === null ? [] : [r.before, ...r.after],
                     colour: bars.map((_, k) => (k === 0 ? look.before : k === r.k ? colours[1] : colours[0])) };
    state.what = what; state.t = step === c.default_t ? null : step;
    changed();
    return { ...r, units: r.units.map((u) => ({ ...u })), after: [...r.after], tags_after: [...r.tags_after] };
  }

  async function patch({ from, to, units, t: step, what = "c" } = {}) {
    const r = await bridge.call("patch", String(from), String(to), plainUnits(units || []), Number(step), String(what));
    const tr = traceFromWorker(r);
    return { ...traceToJson(tr), text: String(to), preset: ctl.preset,
             patch: { from: String(from), units: plainUnits(units || []), t: Number(step), what: String(what) } };
  }

  async function ablate({ text, units } = {}) {
    const r = await bridge.call("ablate", String(text), plainUnits(units || []));
    return { ...traceToJson(traceFromWorker(r)), text: String(text), preset: ctl.preset,
             ablated: plainUnits(units || []) };
  }

  async function ablateTop() { // the tab's button: zero B's top unit, watch A's tag at the differing word
    const { b, r: c } = await ensure();
    const top = c.units[0], at = c.steps.length ? c.steps[0] : c.tokensB.length - 1;
    const r = traceFromWorker(await bridge.call("ablate", b, [{ layer: top.layer, unit: top.unit }]));
    const K = r.K, want = argmax(c.a_probs, K, at);
    w.patch_result.text = t("contrast.ablated", { units: unitLabel(top.layer, top.unit), tag: r.tags[want],
      word: c.tokensB[at], before: fmt(r.base_probs[at * K + want]), after: fmt(r.probs[at * K + want]),
      from: r.tags[argmax(r.base_probs, K, at)], now: r.tags[argmax(r.probs, K, at)] });
  }

  // ---- the corpus view ----------------------------------------------------------------------
  async function corpus({ source, lines, layer, unit, what } = {}) {
    source = source ?? w.source.value; what = what ?? w.quantity.value;
    lines = lines ?? w.lines.value;
    if (layer === undefined || unit === undefined) [layer, unit] = w.unit.value.split(":").map(Number);
    await bridge.need("contrast");
    let r;
    try {
      r = await bridge.call("corpus", source, lines, layer, unit, what);
    } catch (err) {
      w.corpus_status.text = t("contrast.failed", { msg: err.message });
      throw err;
    }
    Object.assign(state, { source, quantity: what });
    state.unit = last && `${layer}:${unit}` === topUnit(last.r) ? null : `${layer}:${unit}`;
    for (const [k, v] of [["source", source], ["quantity", what]]) if (w[k].value !== v) w[k].value = v;
    drawCorpus(r);
    changed();
    let off = 0;
    return { sentences: r.tokens.map((tokens, k) => {
      const values = Array.from(r.values.subarray(off, off += r.lengths[k]));
      return { index: r.order[k], tokens: [...tokens], values, response: r.response[k] };
    }), layer, unit, what };
  }

  function drawCorpus(r) {
    const shown = Math.min(rows, r.tokens.length);
    const d = { x: [], y: [], w: [], word: [], v: [], sentence: [], step: [], edge: [] };
    let off = 0, widest = 1, big = 1e-9;
    for (let k = 0; k < r.tokens.length; k++) {
      const n = r.lengths[k];
      if (k < shown) {
        let x = 0;
        r.tokens[k].forEach((word, s) => {
          const width = 0.6 * Math.max(word.length, 2) + 0.8, v = r.values[off + s];
          d.x.push(x + width / 2); d.y.push(k); d.w.push(width - 0.2); d.word.push(word);
          d.v.push(v); d.sentence.push(r.order[k]); d.step.push(s); d.edge.push(look.frame);
          big = Math.max(big, Math.abs(v));
          x += width;
        });
        widest = Math.max(widest, x);
      }
      off += n;
    }
    w.words.selected.indices = [];
    w.words.data = d;
    w.cmap.setv({ low: -big, high: big });
    w.corpus_fig.x_range.setv({ start: 0, end: Math.min(widest, 60) });
    w.corpus_fig.y_range.setv({ start: shown - 0.5, end: -0.5 });
    corpusView = { order: r.order, shown };
    const [l, u] = [r.layer, r.unit];
    w.corpus_status.text = t("contrast.corpus_status", { n: r.tokens.length, unit: unitLabel(l, u),
                                                           what: r.what === "c" ? "C_t" : "h_t", shown });
    w.found.text = "";
  }

  async function corpusSelect({ sentence, steps, top = 3 } = {}) {
    if (sentence === undefined) { // the words tapped in the tab: those of the last sentence tapped
      const idx = w.words.selected.indices;
      if (!idx.length) { w.found.text = t("contrast.select_first"); return null; }
      sentence = w.words.data.sentence[idx[idx.length - 1]];
      steps = idx.filter((i) => w.words.data.sentence[i] === sentence).map((i) => w.words.data.step[i]);
    }
    const r = await bridge.call("corpus_select", Number(sentence), steps.map(Number), Number(top));
    const on = new Map(r.matches.map((x) => [x.sentence, new Set(x.steps)]));
    const d = w.words.data;
    w.words.data = { ...d, edge: d.sentence.map((k, i) => (on.has(k) && on.get(k).has(d.step[i]) ? look.match : look.frame)) };
    w.found.text = t("contrast.found", { units: r.units.map((u) => unitLabel(u.layer, u.unit)).join(", "),
                                         m: r.matches.length });
    return { sentence: r.sentence, units: r.units.map((u) => ({ ...u })),
             matches: r.matches.map((x) => ({ sentence: x.sentence, steps: [...x.steps] })) };
  }

  // ---- widgets, the URL, staleness ----------------------------------------------------------
  changed = () => ctl.emit("contrast");
  applyState = () => {
    w.what.value = state.what; w.source.value = state.source; w.quantity.value = state.quantity;
    if (state.a !== null) w.a.value = state.a;
    if (state.b !== null) w.b.value = state.b;
  };
  DEFAULTS.a = w.a.value; DEFAULTS.b = w.b.value;
  applyState();
  const open = () => tabs.isOpen("panel_contrast");
  w.run.on_event("button_click", () => quiet(contrast()));
  w.flip.on_event("button_click", () => quiet(flip()));
  w.ablate.on_event("button_click", () => quiet(ablateTop()));
  w.show.on_event("button_click", () => quiet(corpus()));
  w.find.on_event("button_click", () => quiet(corpusSelect()));
  w.what.property("value").change.connect(() => { state.what = w.what.value; changed(); });
  w.step.property("value").change.connect(() => {
    if (drawing) return;
    state.t = last && Number(w.step.value) === last.r.default_t ? null : Number(w.step.value);
    changed();
  });
  w.unit.property("value").change.connect(() => {
    if (drawing) return;
    state.unit = last && w.unit.value === topUnit(last.r) ? null : w.unit.value;
    if (open()) quiet(corpus());
  });
  const refresh = () => { if (ctl.isReady && open()) quiet(contrast().then(() => corpus())); };
  tabs.onOpen("panel_contrast", () => { if (!last || last.preset !== ctl.preset) refresh(); });
  ctl.addEventListener("trace", () => { if (last && last.preset !== ctl.preset) refresh(); });
  ctl.addEventListener("restart", () => { last = null; });
  ctl.ready.then(() => { if (!last) refresh(); }, () => {}); // a link that opens this tab (a
  // Python that fails to start is said by the status line)
  return { contrast: (a, b) => contrast(a, b), patch, ablate, flip, corpus, corpusSelect };
}
