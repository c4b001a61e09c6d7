// Interventions (web/panels/intervene.py): clamps are kept in ctl.clamps and sent to pysim with
// every trace; the worker then also returns the unclamped C, h and probabilities (base_*).
import { argmax } from "../trace.js";
import { quiet } from "../util.js";

const GATE_NAMES = { f: "forget gate f", i: "input gate i", o: "output gate o", zero: "silence" };

export function describe(c) {
  const who = c.unit === null || c.unit === undefined ? "all units" : `unit ${c.unit}`;
  const when = c.t0 === c.t1 ? `step ${c.t0}` : `steps ${c.t0}\u2013${c.t1}`;
  const layer = c.layer ? ` of layer ${c.layer}` : "";
  return c.gate === "zero" ? `silence ${who}${layer} at ${when}`
    : `${GATE_NAMES[c.gate]} = ${Number(c.value).toFixed(2)} for ${who}${layer} at ${when}`;
}

/** Validated plain clamps: {gate, value, layer, unit (null = all), t0, t1}. Throws on bad input. */
export function normalise(list) {
  if (!Array.isArray(list)) throw new Error("clamps must be a list");
  return list.map((c) => {
    const gate = String(c.gate);
    if (!(gate in GATE_NAMES)) throw new Error(`a clamp's gate is f, i, o or zero, not ${gate}`);
    const value = Number(c.value ?? 0);
    if (!(value >= 0 && value <= 1)) throw new Error(`a gate is clamped to a value in 0..1, not ${c.value}`);
    const unit = c.unit === null || c.unit === undefined || c.unit === "all" ? null : Number(c.unit);
    const t0 = Number(c.t0 ?? 0), t1 = Number(c.t1 ?? t0);
    for (const n of [unit ?? 0, t0, t1, Number(c.layer ?? 0)]) {
      if (!Number.isInteger(n) || n < 0) throw new Error("clamp units, layers and steps are whole numbers \u2265 0");
    }
    if (t1 < t0) throw new Error("a clamp's last step comes before its first");
    return { gate, value, layer: Number(c.layer ?? 0), unit, t0, t1 };
  });
}

export function install({ ctl, m, tabs, showMessage }) {
  const w = Object.fromEntries(["clamp_gate", "clamp_value", "clamp_unit", "clamp_steps",
    "clamp_add", "clamp_clear", "clamp_list"].map((k) => [k, m(k)]));
  const cells = m("clamp_cells"), preds = m("clamp_preds");
  const figs = ["delta_c_fig", "delta_h_fig", "clamp_pred_fig"].map(m);
  const cmaps = { c: m("delta_c_cmap"), h: m("delta_h_cmap") };
  const cellColour = ctl.boot.constants.tag_cells; // web/constants.py TAG_CELLS

  function apply(list) {
    let clamps;
    try {
      clamps = normalise(list);
    } catch (err) {
      showMessage(`${err.message} The clamp was not applied.`);
      return Promise.reject(err);
    }
    return ctl.setClamps(clamps).catch((err) => { // a clamp pysim refuses is dropped
      if (!err.superseded) showMessage(`${err.message} The clamp was not applied.`);
      throw err;
    });
  }

  function draw() {
    const tr = ctl.trace, l = ctl.layer, { T, H, K } = tr;
    const n = T * H, off = l * n;
    const clamped = ctl.clamps.length > 0 && tr.base_c;
    const d = { t: [], unit: [], token: [], c: [], base_c: [], dc: [], h: [], base_h: [], dh: [] };
    let big = { c: 1e-12, h: 1e-12 };
    for (let t = 0, r = 0; t < T; t++) {
      for (let u = 0; u < H; u++, r++) {
        d.t.push(t); d.unit.push(u); d.token.push(tr.tokens[t]);
        for (const k of ["c", "h"]) {
          const now = tr[k][off + r], base = clamped ? tr[`base_${k}`][off + r] : now;
          d[k].push(now); d[`base_${k}`].push(base); d[`d${k}`].push(now - base);
          big[k] = Math.max(big[k], Math.abs(now - base));
        }
      }
    }
    cells.data = d;
    for (const k of ["c", "h"]) { cmaps[k].low = -big[k]; cmaps[k].high = big[k]; }
    const tags = tr.tags.length ? tr.tags : [""];
    const p = { t: [], run: [], tag: [], colour: [] };
    for (let t = 0; t < T; t++) {
      const without = clamped ? argmax(tr.base_probs, K, t) : argmax(tr.probs, K, t);
      const withc = argmax(tr.probs, K, t);
      p.t.push(t, t); p.run.push("without", "with clamps");
      p.tag.push(K ? tags[without] : "", K ? tags[withc] : "");
      p.colour.push(cellColour.same, withc !== without ? cellColour.differ : cellColour.same);
    }
    preds.data = p;
    for (const fig of figs) fig.x_range.setv({ start: -0.5, end: Math.max(T, 1) - 0.5 });
    for (const fig of figs.slice(0, 2)) fig.y_range.setv({ start: -0.5, end: H - 0.5 });
    w.clamp_unit.options = [["all", "all units"], ...Array.from({ length: H }, (_, u) => [String(u), `unit ${u}`])];
    if (w.clamp_unit.value !== "all" && Number(w.clamp_unit.value) >= H) w.clamp_unit.value = "all";
    const [a, b] = w.clamp_steps.value;
    w.clamp_steps.setv({ end: Math.max(T - 1, 1), disabled: T < 2,
                         value: [Math.min(a, T - 1), Math.min(Math.max(b, a), T - 1)] });
    w.clamp_list.text = ctl.clamps.length
      ? `Active clamps (${ctl.clamps.length}); the main views show the clamped run:\n` + ctl.clamps.map((c) => "  \u2022 " + describe(c)).join("\n")
      : "No clamps: the run shown is the model's own.";
  }

  w.clamp_add.on_event("button_click", () => {
    const [t0, t1] = w.clamp_steps.value.map((v) => Math.round(v));
    const unit = w.clamp_unit.value === "all" ? null : Number(w.clamp_unit.value);
    quiet(apply([...ctl.clamps, { gate: w.clamp_gate.value, value: w.clamp_value.value,
                                  layer: ctl.layer, unit, t0, t1 }]));
  });
  w.clamp_clear.on_event("button_click", () => quiet(apply([])));
  w.clamp_gate.property("value").change.connect(() => { w.clamp_value.disabled = w.clamp_gate.value === "zero"; });
  // the comparison (T x H cells) is drawn while its tab is open or clamps are set: a hidden,
  // clamp-free comparison is all zeros, and redrawing it cost every retrace ~20 ms at T=200, H=128
  let stale = true;
  const refresh = () => {
    stale = !(tabs.isOpen("panel_intervene") || ctl.clamps.length > 0);
    if (!stale) draw();
  };
  ctl.addEventListener("trace", refresh);
  tabs.onOpen("panel_intervene", () => { if (stale) refresh(); });
  refresh();
  return {
    setClamps: (list) => apply(list),
    clearClamps: () => apply([]),
    clamps: () => ctl.clamps.map((c) => ({ ...c })),
  };
}
