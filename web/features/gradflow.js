// Gradient flow (web/panels/gradflow.py): ||dL_T/dC_t|| of the LSTM beside ||dL_T/dh_t|| of a
// plain tanh RNN (pysim.rnn.compare via Session.gradient_flow), recomputed for each new trace
// while the tab is open, or on Compute.

import * as i18n from "../i18n.js";
import { quiet } from "../util.js";

const MAX_LABELS = 40;
// BokehJS reads $$...$$, \[...\] and \(...\) in axis labels as TeX: a zero-width space keeps a
// typed token plain text
const plain = (s) => String(s).replace(/\$\$/g, "$\u200b$").replace(/\\([[(])/g, "\\\u200b$1");

export function install({ ctl, m, bridge, tabs }) {
  const src = m("gflow_src"), fig = m("gflow_fig"), status = m("gflow_status");
  const ticker = m("gflow_ticks"), axis = m("gflow_xaxis"), yRange = m("gflow_y");
  const compute = m("gflow_compute");
  let busy = null, stale = true;

  function draw(r) {
    const T = r.tokens.length;
    const pos = (x) => (x > 0 && Number.isFinite(x) ? x : NaN); // a log axis: 0 shows as a gap
    src.data = { t: Array.from({ length: T }, (_, t) => t), token: [...r.tokens],
                 lstm: Array.from(r.lstm, pos), rnn: Array.from(r.rnn, pos) };
    const every = Math.max(1, Math.ceil(T / MAX_LABELS));
    const ticks = [];
    const labels = new Map(); // number keys: BokehJS looks labels up by the tick value
    for (let t = 0; t < T; t += every) { ticks.push(t); labels.set(t, plain(r.tokens[t])); }
    ticker.ticks = ticks;
    axis.major_label_overrides = labels;
    const width = [...labels.values()].reduce((n, s) => n + s.length + 2, 0);
    axis.major_label_orientation = width > 110 ? 0.7 : "horizontal"; // slanted when crowded
    fig.x_range.setv({ start: -0.5, end: Math.max(T, 1) - 0.5 });
    const all = [...src.data.lstm, ...src.data.rnn].filter((x) => x > 0);
    if (all.length) { // whole decades around the data, so the log grid reads as factors of 10
      const lo = Math.floor(Math.log10(Math.min(...all))), hi = Math.ceil(Math.log10(Math.max(...all)));
      yRange.setv({ start: 10 ** lo, end: 10 ** Math.max(hi, lo + 1) });
    }
    const last = (a) => a[T - 1], first = (a) => a[0];
    const ratio = (a) => first(a) / last(a);
    status.text = i18n.t("gflow.result", { token: r.tokens[T - 1], target: r.target,
                                          lstm: fmt(ratio(r.lstm)), rnn: fmt(ratio(r.rnn)) });
  }

  const fmt = (x) => (x === 0 ? "0" : x >= 0.01 && x < 1000 ? x.toPrecision(3) : x.toExponential(1));

  /** Compute for the current text; resolves with {tokens, lstm, rnn, target} (plain arrays). */
  async function run() {
    if (busy) { stale = true; return busy; } // one at a time; the latest text wins
    busy = (async () => {
      let result = null;
      try {
        do {
          stale = false;
          await bridge.need("gradflow");
          const text = ctl.text;
          const r = await bridge.call("gradient_flow", text);
          result = { tokens: [...r.tokens], lstm: Array.from(r.lstm), rnn: Array.from(r.rnn),
                     target: r.target, text };
          draw(result);
        } while (stale);
        return result;
      } catch (err) {
        status.text = i18n.t("gflow.failed", { reason: err.message });
        src.data = { t: [], token: [], lstm: [], rnn: [] };
        throw err;
      } finally {
        busy = null;
      }
    })();
    return busy;
  }

  ctl.addEventListener("trace", () => { stale = true; if (tabs.isOpen("panel_gflow") && ctl.isReady) quiet(run()); });
  tabs.onOpen("panel_gflow", () => { if (ctl.isReady) quiet(run()); });
  compute.on_event("button_click", () => quiet(run()));
  return { gradientFlow: () => run() };
}
