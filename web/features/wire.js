// Wire an LSTM by hand (web/panels/wire.py lays the tab out; pysim/handwired.py computes): a cell of
// 1-2 units whose input vectors are typed and whose every weight and bias is a Spinner. Any change
// is traced at once by the worker (Session.wire: pysim.lstm.step, the article's equations; the
// page re-implements nothing) and drawn as a table and a plot of x_t, f, i, C~, C, o, h per step.
// The cell on screen is `cell` {weights, inputs}: it changes only when pysim has traced it, so a
// bad input (said under the text box, in the reader's language) leaves the last trace in place.
// window.pysim.wire({weights, inputs, units, preset}) changes the cell like the controls do and
// resolves what is shown; urlstate.js keeps the cell in the link (urlValue / restoreUrl).
import { t } from "../i18n.js";
import { afterPaint, quiet } from "../util.js";
import { on, set } from "../widgets.js";
import { copyWeights, decodeCell, encodeCell, formatInputs, GATES, parseInputs, resize } from "./wiretext.js";

const QUANTITIES = ["f", "i", "g", "c", "o", "h"];
const SYMBOLS = { x: "x_t", f: "f", i: "i", g: "C\u0303", c: "C", o: "o", h: "h" };
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

let link = null; // {value(), restore(v)} once installed
let linked;
const installed = new Promise((resolve) => { linked = resolve; });
/** The cell in the link's form, or null while it is the preset (urlstate.js). */
export const urlValue = () => (link ? link.value() : null);
/** Restore a link's cell (urlstate.js; may be called before install). */
export const restoreUrl = (v) => installed.then((l) => l.restore(v));

export function install({ ctl, m }) {
  const C = ctl.boot.constants.wire;
  const limits = { maxInputs: C.max_inputs, maxSteps: C.max_steps, maxUnits: C.max_units };
  const COLS = C.max_units + C.max_inputs + 1;
  const preset = () => ({ weights: copyWeights(C.preset), inputs: C.preset_inputs });
  const w = { inputs: m("wire_inputs"), units: m("wire_units"), msg: m("wire_msg"),
              table: m("wire_table"), fig: m("wire_fig"), source: m("wire_steps") };
  const spin = (g, u, j) => m(`wire_w_${g}${u}_${j}`);
  let cell = preset();
  let shown = null; // what pysim.wire resolves: the trace on screen
  let seq = 0;

  // ---- the reader's language --------------------------------------------------------------
  for (const [name, key] of [["wire_note", "wire.note"], ["wire_lecture", "wire.lecture"], ["wire_weights", "wire.weights"]]) m(name).text = t(key);
  set(w.inputs, { title: t("wire.inputs") });
  set(w.units, { title: t("wire.units"), options: w.units.options.map(([v]) => [v, t("wire.units_n", { n: v })]) });
  m("wire_preset").label = t("wire.preset");
  m("wire_zero").label = t("wire.zero");
  w.fig.title.text = t("wire.plot");
  for (const axis of w.fig.below) if ("axis_label" in axis) axis.axis_label = t("wire.step");

  // ---- the controls show the cell ----------------------------------------------------------
  const shape = (c) => { const H = c.weights.b_f.length; return { H, D: c.weights.W_f[0].length - H }; };
  // the weight a grid control stands for: [name, unit, column] (column null: the bias)
  const slot = (g, u, j, H) => (j < C.max_units ? [`W_${g}`, u, j] : j < COLS - 1 ? [`W_${g}`, u, H + j - C.max_units] : [`b_${g}`, u, null]);
  const visible = (u, j, H, D) => (j < C.max_units ? j < H : j < COLS - 1 ? j - C.max_units < D : true);

  function showControls() {
    const { H, D } = shape(cell);
    for (let j = 0; j < COLS; j++) set(m(`wire_head_${j}`), { visible: visible(0, j, H, D) });
    for (const g of GATES) {
      for (let u = 0; u < C.max_units; u++) {
        set(m(`wire_row_${g}${u}`), { visible: u < H });
        set(m(`wire_label_${g}${u}`), { text: H > 1 ? `W_${g} [${u + 1}]` : `W_${g}` });
        for (let j = 0; j < COLS; j++) {
          const on_ = visible(u, j, H, D), held = on_ && u < H; // held: a weight of the cell
          const [k, uu, col] = slot(g, u, j, H);
          const value = held ? (col === null ? cell.weights[k][uu] : cell.weights[k][uu][col]) : 0;
          set(spin(g, u, j), { visible: on_, value });
        }
      }
    }
    if (w.inputs.value !== cell.inputs) set(w.inputs, { value: cell.inputs, value_input: cell.inputs });
    set(w.units, { value: String(H) });
  }

  // ---- the trace ---------------------------------------------------------------------------
  const nested = (flat, T, n) => Array.from({ length: T }, (_, r) => Array.from(flat.slice(r * n, r * n + n)));

  function draw(r) {
    const { T, H } = r;
    const data = { t: [...Array(T).keys()], x: r.x.map((v) => `[${v.join(",")}]`) };
    for (let u = 0; u < C.max_units; u++) {
      for (const q of QUANTITIES) data[`${q}${u}`] = r[q].map((row) => (u < H ? row[u] : NaN));
    }
    w.source.data = data;
    for (const rd of w.fig.renderers) if (/^wire_.1$/.test(rd.name || "")) rd.visible = H > 1;
    w.fig.x_range.setv({ start: -0.3, end: Math.max(T, 2) - 0.7 });
    const cells = (f) => data.t.map((s) => f(s)).join("");
    const rows = [`<tr><th class="q">${esc(t("wire.step"))}</th>${cells((s) => `<th>${s}</th>`)}</tr>`,
      `<tr><th class="q">${SYMBOLS.x}</th>${cells((s) => `<td class="x">${esc(data.x[s])}</td>`)}</tr>`];
    for (let u = 0; u < H; u++) {
      for (const q of QUANTITIES) {
        const sub = H > 1 ? ` <sub>[${u + 1}]</sub>` : ""; // candidate, memory, output: named with their symbol
        const label = "gch".includes(q) ? `${esc(t(`gate.${q}`))}${sub}` : `${SYMBOLS[q]} ${esc(t(`gate.${q}`))}${sub}`;
        rows.push(`<tr><th class="q">${label}</th>${cells((s) => `<td>${r[q][s][u].toFixed(4)}</td>`)}</tr>`);
      }
    }
    w.table.text = `<table>${rows.join("")}</table>`;
  }

  const say = (text) => { if (w.msg.text !== text) w.msg.setv({ text, visible: Boolean(text) }); };

  /** Trace `next` ({weights, inputs}); once pysim has, it is the cell on screen. */
  async function retrace(next) {
    const mine = ++seq, start = performance.now();
    parseInputs(next.inputs, limits); // a bad text is said here, in the reader's language
    if (!ctl.isReady) say(t("wire.loading"));
    let r;
    try {
      r = await ctl.bridge.call("wire", next.weights, next.inputs);
    } catch (err) {
      if (mine === seq) say(`${t("wire.failed", { why: err.message })} ${t("wire.kept")}`);
      throw err;
    }
    if (mine !== seq) throw Object.assign(new Error("superseded by a newer change"), { superseded: true });
    const { T, H, D } = r;
    shown = { weights: copyWeights(next.weights), inputs: r.inputs, T, H, D, x: nested(r.x, T, D),
              ...Object.fromEntries(QUANTITIES.map((q) => [q, nested(r[q], T, H)])),
              ms: { python: r.ms, total: performance.now() - start } };
    cell = { weights: copyWeights(next.weights), inputs: next.inputs };
    draw(shown);
    showControls();
    say("");
    ctl.dispatchEvent(new Event("wire")); // the link follows (urlstate.js)
    await afterPaint();
    return structuredClone(shown);
  }

  /** retrace() for a control: a bad input is said under the text box, the trace stays. */
  function change(next) {
    try {
      return quiet(retrace(next), (err) => { if (!err.superseded) showControls(); }); // back to the cell shown
    } catch (err) {
      say(`${err.message} ${t("wire.kept")}`);
      return Promise.resolve();
    }
  }

  // ---- controls ------------------------------------------------------------------------------
  for (const g of GATES) {
    for (let u = 0; u < C.max_units; u++) {
      for (let j = 0; j < COLS; j++) {
        on(spin(g, u, j), "value", (v) => {
          const value = v === null || v === "" ? NaN : Number(v);
          if (!Number.isFinite(value)) return showControls(); // an emptied box shows the weight again
          const next = { weights: copyWeights(cell.weights), inputs: cell.inputs };
          const [k, uu, col] = slot(g, u, j, shape(cell).H);
          if (col === null) next.weights[k][uu] = value;
          else next.weights[k][uu][col] = value;
          change(next);
        });
      }
    }
  }
  let typing = null;
  on(w.inputs, "value_input", (text) => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      let D;
      try {
        D = parseInputs(text, limits)[0].length;
      } catch (err) {
        say(`${err.message} ${t("wire.kept")}`);
        return;
      }
      change({ weights: resize(cell.weights, shape(cell).H, D), inputs: text });
    }, 250);
  });
  on(w.units, "value", (v) => change({ weights: resize(cell.weights, Number(v), shape(cell).D), inputs: cell.inputs }));
  m("wire_preset").on_event("button_click", () => change(preset()));
  m("wire_zero").on_event("button_click", () => {
    const { H, D } = shape(cell);
    const zero = Object.fromEntries(GATES.flatMap((g) => [[`W_${g}`, [[0]]], [`b_${g}`, [0]]]));
    change({ weights: resize(zero, H, D), inputs: cell.inputs });
  });

  // the preset as web/panels/wire.py traced it natively at build time: the table from first paint
  {
    const d = w.source.data, x = parseInputs(cell.inputs, limits), { H, D } = shape(cell);
    const units = (q) => d.t.map((s) => Array.from({ length: H }, (_, u) => d[`${q}${u}`][s]));
    shown = { weights: copyWeights(cell.weights), inputs: cell.inputs, T: x.length, H, D, x,
              ...Object.fromEntries(QUANTITIES.map((q) => [q, units(q)])), ms: null };
    draw(shown);
    showControls();
  }

  // ---- the link and window.pysim -------------------------------------------------------------
  const presetValue = encodeCell(preset(), limits);
  link = {
    value: () => { const v = encodeCell(cell, limits); return v === presetValue ? null : v; },
    restore: (v) => retrace(decodeCell(v, limits)),
  };
  linked(link);
  return {
    /** Change the wired cell (any of {weights, inputs: text or number[][], units, preset: true})
     *  and resolve what the tab shows: {weights, inputs, T, H, D, x, f, i, g, c, o, h (T x H),
     *  ms: {python, total}}; no argument: the cell on screen, traced. Bad input rejects, the
     *  cell stays. */
    wire: async (opts = {}) => {
      let next = opts.preset ? preset() : { weights: copyWeights(cell.weights), inputs: cell.inputs };
      if (opts.inputs !== undefined) next.inputs = Array.isArray(opts.inputs) ? formatInputs(opts.inputs) : String(opts.inputs);
      const D = parseInputs(next.inputs, limits)[0].length;
      if (opts.weights) next.weights = copyWeights(opts.weights);
      else next.weights = resize(next.weights, Number(opts.units ?? shape(next).H), D);
      return retrace(next);
    },
  };
}
