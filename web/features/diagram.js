// The cell diagram (web/panels/diagram.py): valves, flows, numbers and equations for the
// selected unit at the current step, redrawn on every trace, step and unit change. Colours and
// geometry are those of the static drawing: web/constants.py, sent in the boot data.
import * as i18n from "../i18n.js";
import { PlotOverlay, setBox } from "./overlay.js";

const num = (x) => (x < 0 ? "\u2212" : "") + Math.abs(x).toFixed(2);
const width = (v) => 1 + 4 * Math.min(Math.abs(v), 1.5);

/** The values the diagram shows: unit u of layer l at step t (C and h before step 0 are 0). */
export function cellValues(tr, at, l, t, u) {
  const v = {};
  for (const k of ["f", "i", "g", "o", "c", "h"]) v[k] = at(tr, k, l, t, u);
  v.c_prev = t > 0 ? at(tr, "c", l, t - 1, u) : 0;
  v.h_prev = t > 0 ? at(tr, "h", l, t - 1, u) : 0;
  return v;
}

export function equations(v, token, t, u, l, clamped) {
  const mark = (k) => (clamped.has(k) ? i18n.t("diagram.clamped") : "");
  // the combining tilde of C\u0303 takes no column on the canvas: pad one more for each
  const pad = (lhs) => lhs.padEnd(40 + (lhs.match(/\u0303/g) || []).length);
  const line = (lhs, value, k = "") => `${pad(lhs)} = ${num(value)}${mark(k)}`;
  return [
    l ? i18n.t("diagram.eq_head_layer", { t, token, u, l }) : i18n.t("diagram.eq_head", { t, token, u }),
    "",
    line("f_t = \u03c3(W_f\u00b7[h_{t\u22121}, x_t] + b_f)", v.f, "f"),
    line("i_t = \u03c3(W_i\u00b7[h_{t\u22121}, x_t] + b_i)", v.i, "i"),
    line("C\u0303_t = tanh(W_C\u00b7[h_{t\u22121}, x_t] + b_C)", v.g),
    "C_t = f_t \u00d7 C_{t\u22121} + i_t \u00d7 C\u0303_t",
    line(`    = ${num(v.f)} \u00d7 ${num(v.c_prev)} + ${num(v.i)} \u00d7 ${num(v.g)}`, v.c),
    line("o_t = \u03c3(W_o\u00b7[h_{t\u22121}, x_t] + b_o)", v.o, "o"),
    line(`h_t = o_t \u00d7 tanh(C_t) = ${num(v.o)} \u00d7 tanh(${num(v.c)})`, v.h),
    "",
    ...i18n.t("diagram.eq_note").split("\n"),
  ];
}

/** The equations' font: 12.5 px, smaller when the longest line would not fit `width` (a phone). */
function fitWidth(el, width) {
  const chars = Math.max(1, ...el.textContent.split("\n").map((l) => l.length));
  el.style.fontSize = `${Math.min(12.5, (width - 20) / (0.61 * chars)).toFixed(2)}px`;
}

export function install({ ctl, m, at, tabs, afterPaint, panelsShown }) {
  const { colours: COLOURS, ink: INK, diagram } = ctl.boot.constants;
  const { gates_x: GATES_X, gauge_y0: GAUGE_Y0, gauge_h: GAUGE_H, cell_y: CELL_Y } = diagram;
  const { nodes: { keep, add, let_in: letIn, tanh, show }, node_r: [rx, ry], tanh_r: rt, x_end: END } = diagram;
  const fig = m("diagram_fig");
  const src = { flows: m("diagram_flows"), gauges: m("diagram_gauges"), numbers: m("diagram_numbers") };
  // the equations: text in the (empty) equation plot's HTML overlay, one line per data unit of y;
  // until its view is built (the tabs are built once the reader comes near them, app.js; a closed
  // tab's views once it first opens) the text waits in an element of its own
  let eqWidth = 460; // its box's width (CSS px), as last placed: a step reads no layout
  let eq = document.createElement("pre");
  const place = () => {
    const view = !eq.dataset.overlay && window.Bokeh.index.find_one(m("diagram_eq_fig"));
    if (!view) return;
    const text = eq.textContent;
    eq = new PlotOverlay(view).add((el, frame) => {
      const y = (v) => frame.y_scale.compute(v);
      const line = y(-1) - y(0);
      el.style.lineHeight = `${line}px`;
      setBox(el, frame.bbox.left, y(0) - line / 2, frame.bbox.width, frame.bbox.bottom - y(0) + line / 2);
      fitWidth(el, (eqWidth = frame.bbox.width));
    }, { font: "12.5px 'Liberation Mono', monospace", whiteSpace: "pre", color: "var(--ink)",
         overflow: "hidden", padding: "0 10px" }, "pre");
    eq.dataset.overlay = "diagram_eq";
    eq.textContent = text;
    fitWidth(eq, eqWidth);
  };
  panelsShown.then(place);
  tabs.onOpen("panel_diagram", () => panelsShown.then(afterPaint).then(place));

  function clampedGates(l, t, u) {
    const set = new Set();
    for (const c of ctl.clamps) {
      const unitHit = c.unit === null || c.unit === undefined || c.unit === "all" || Number(c.unit) === u;
      if ((c.layer || 0) === l && unitHit && t >= c.t0 && t <= c.t1) set.add(c.gate);
    }
    return set;
  }

  function draw() {
    const tr = ctl.trace, l = ctl.layer, t = ctl.t, u = ctl.unit;
    if (!tr.T) return;
    const v = cellValues(tr, at, l, t, u);
    const top = GAUGE_Y0 + GAUGE_H;
    const flows = [
      [[0.3, keep[0] - rx], [CELL_Y, CELL_Y], width(v.c_prev), COLOURS.c],              // C_{t-1} in
      [[keep[0] + rx, add[0] - rx], [CELL_Y, CELL_Y], width(v.f * v.c_prev), COLOURS.c], // kept memory
      [[add[0] + rx, END - 0.1], [CELL_Y, CELL_Y], width(v.c), COLOURS.c],               // C_t out
      [[GATES_X.f, GATES_X.f], [top, keep[1] - ry], width(v.f), COLOURS.f],             // forget valve
      [[GATES_X.i, GATES_X.i, letIn[0] - rx], [top, letIn[1], letIn[1]], width(v.i), COLOURS.i], // input valve
      [[GATES_X.g, GATES_X.g, letIn[0] + rx], [top, letIn[1], letIn[1]], width(v.g), COLOURS.g], // candidate
      [[add[0], add[0]], [letIn[1] + ry, add[1] - ry], width(v.i * v.g), COLOURS.i],   // i * C~ enters
      [[tanh[0], tanh[0]], [CELL_Y, tanh[1] + rt], width(v.c), COLOURS.c],             // to tanh
      [[tanh[0], show[0]], [tanh[1] - rt, show[1] + ry], width(Math.tanh(v.c)), COLOURS.c],
      [[GATES_X.o, GATES_X.o, show[0] - rx], [top, show[1], show[1]], width(v.o), COLOURS.o], // output valve
      [[show[0] + rx, END], [show[1], show[1]], width(v.h), COLOURS.h],                // h_t out
    ];
    src.flows.data = { xs: flows.map((f) => f[0]), ys: flows.map((f) => f[1]),
                       width: flows.map((f) => f[2]), colour: flows.map((f) => f[3]) };
    const gauge = { x: [], y: [], height: [], colour: [] };
    for (const k of ["f", "i", "o"]) {
      gauge.x.push(GATES_X[k]); gauge.y.push(GAUGE_Y0 + (v[k] * GAUGE_H) / 2);
      gauge.height.push(v[k] * GAUGE_H); gauge.colour.push(COLOURS[k]);
    }
    gauge.x.push(GATES_X.g); gauge.y.push(GAUGE_Y0 + GAUGE_H / 2 + (v.g * GAUGE_H) / 4);
    gauge.height.push((Math.abs(v.g) * GAUGE_H) / 2); gauge.colour.push(COLOURS.g);
    src.gauges.data = gauge;
    const clamped = clampedGates(l, t, u);
    const label = (k, name) => `${name} ${num(v[k])}${clamped.has(k) ? " \u2691" : ""}`;
    src.numbers.data = {
      x: [GATES_X.f + 0.38, GATES_X.i + 0.38, GATES_X.g + 0.38, GATES_X.o + 0.38, -0.4, END, -0.4, END, 1.4],
      y: [GAUGE_Y0 + 0.8, GAUGE_Y0 + 0.8, GAUGE_Y0 + 0.8, GAUGE_Y0 + 0.8, CELL_Y - 0.55,
          CELL_Y - 0.55, 0.65, 4.05, 0.35],
      text: [label("f", "f"), label("i", "i"), `C\u0303 ${num(v.g)}`, label("o", "o"),
             num(v.c_prev), num(v.c), num(v.h_prev), num(v.h), `\u201c${tr.tokens[t]}\u201d`],
      colour: [COLOURS.f, COLOURS.i, COLOURS.g, COLOURS.o, COLOURS.c, COLOURS.c, INK, COLOURS.h, INK],
    };
    // no step number in the title: a title that changes every step re-lays out the figure
    const title = tr.L > 1 ? i18n.t("diagram.title_layer", { u, l }) : i18n.t("diagram.title", { u });
    if (fig.title.text !== title) fig.title.text = title;
    const lines = equations(v, tr.tokens[t], t, u, l, clamped);
    eq.textContent = lines.join("\n");
    fitWidth(eq, eqWidth);
  }

  for (const ev of ["trace", "step", "unit"]) ctl.addEventListener(ev, draw);
  draw();
  return {};
}
