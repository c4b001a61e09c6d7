// What the page opens on, read from its URL before anything is drawn: the model (preset), text,
// step, unit and layer, and the trace to show first. So an embed shows what its author chose
// from the first paint (the pictures of features/preview.js, then the views), never another
// sentence's numbers:
//   - the text of the boot data (build.py's default): its trace is in the boot data;
//   - a prepared text (web/embeds.py, boot["prepared"]): its trace is fetched from traces/;
//   - any other text: a pending trace (pendingTrace) of its words, its values not known
//     (NaN) until Python has computed them; the views mark it as computing.
// urlstate.js restores the rest of the URL (clamps, speed, tab) once the features are installed,
// and skips what is already shown. startOn, openWith and showPrepared are the Controller's
// (web/controller.js) steps for this.

import { hideMessage } from "./status.js";
import { ARRAYS, traceFromJson } from "./trace.js";
import { afterPaint } from "./util.js";

/** The words pysim reads (pysim/text.py `words`): control characters removed, whitespace
 *  splits, lone surrogates become U+FFFD, words made only of format characters dropped. */
export function words(text) {
  const clean = String(text).replace(/[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]/g, "")
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
  return clean.split(/[\s\x1c-\x1f\x85]+/u).filter((w) => w && !/^\p{Cf}+$/u.test(w));
}

/** A trace whose values are not computed yet: the words, every value NaN, no tags. */
export function pendingTrace(text, H) {
  const tokens = words(text);
  const T = tokens.length;
  const tr = { tokens, unknown: new Uint8Array(T), L: 1, T, H, K: 0, tags: [], notice: "",
               pending: true, probs: new Float64Array(0) };
  for (const k of ARRAYS) tr[k] = new Float64Array(T * H).fill(NaN);
  return tr;
}

/** The prepared trace (JSON, as pysim.api.trace_json) of `text` under `preset`, or null. */
export async function fetchPrepared(boot, preset, text) {
  if (preset === boot.preset && text === boot.text) return boot.trace;
  const path = (boot.prepared[preset] || {})[text];
  if (!path) return null;
  try {
    const resp = await fetch(new URL(path, document.baseURI));
    return resp.ok ? await resp.json() : null;
  } catch {
    return null; // offline without it: computed by Python, as any other text
  }
}

const whole = (v) => (v !== null && /^\d+$/.test(v) ? Number(v) : null);

/** {preset, text, trace, fetched, t, unit, layer, clamped} from the URL. trace: the boot data's
 *  (JSON) when it is that text; fetched: a promise of the prepared trace (or null), if any. */
export function opening(boot, search = location.search) {
  const params = new URLSearchParams(search);
  const asked = params.get("preset");
  const preset = asked && boot.presets[asked] ? asked : boot.preset; // urlstate.js says why not
  const text = params.has("text") && params.get("text").trim() ? params.get("text")
    : boot.presets[preset].text;
  const clamped = params.has("clamps"); // a trace with clamps is Python's to compute
  const own = !clamped && preset === boot.preset && text === boot.text;
  const prepared = !clamped && !own && (boot.prepared[preset] || {})[text];
  return { preset, text, clamped, trace: own ? boot.trace : null,
           fetched: prepared ? fetchPrepared(boot, preset, text) : null, t: whole(params.get("t")),
           unit: whole(params.get("unit")), layer: whole(params.get("layer")) };
}

// ---- the Controller's opening steps (`ctl`: web/controller.js) ------------------------------
/** The step, layer and unit of the opening link, within the trace on screen. */
function place(ctl) {
  const clampTo = (v, n) => Math.max(0, Math.min(n - 1, v ?? n - 1));
  ctl.t = clampTo(ctl.open.t, ctl.trace.T);
  ctl.layer = clampTo(ctl.open.layer ?? 0, ctl.trace.L);
  ctl.unit = clampTo(ctl.open.unit ?? 0, ctl.trace.H);
}

/** The controller's first state: the opening's trace, or a pending one of its words (as many
 *  units as the boot trace's model has, until Python says). */
export function startOn(ctl, open) {
  ctl.open = open;
  ctl.trace = open.trace ? traceFromJson(open.trace)
    : pendingTrace(open.text, traceFromJson(ctl.boot.trace).H);
  ctl.text = open.text;
  ctl.preset = open.preset; // a preset other than the worker's first: onReady brings it in
  place(ctl);
}

/** The opening text's prepared trace (JSON) has arrived, or there is none (null): show it, or
 *  queue the text for Python. Nothing, if another text was asked for meanwhile. */
export function openWith(ctl, json) {
  if (!ctl.trace.pending || ctl.text !== ctl.open.text || ctl.seq) return undefined;
  if (json) {
    ctl.trace = traceFromJson(json);
    place(ctl);
    if (ctl.views) ctl.redraw();
    return undefined;
  }
  ctl.status.pending = !ctl.isReady;
  if (!ctl.isReady && ctl.bridge.started) ctl.status.loading(); // else lazy.js's status stays
  if (ctl.isReady) return ctl.retrace(ctl.text);
  const p = new Promise((resolve, reject) => {
    ctl.queued = { text: ctl.text, done: { resolve, reject } };
    ctl.wanted = ctl.text;
  });
  ctl.bridge.need("text"); // web/lazy.js: start Python, wait to be seen, or ask the reader
  return p;
}

/** `text` was traced when the site was built, with the page's model and no clamps (boot.trace, or
 *  a prepared embed's): showPrepared shows it with no Python. */
export const isPrepared = (ctl, text) => !ctl.clamps.length && ((ctl.preset === ctl.boot.preset
  && text === ctl.boot.text) || Boolean((ctl.boot.prepared[ctl.preset] || {})[text]));

const superseded = () => Object.assign(new Error("superseded by newer text"), { superseded: true });

/** Before Python is ready: show a prepared embed's trace of `text` (request `seq`). */
export async function showPrepared(ctl, seq, text) {
  const json = await fetchPrepared(ctl.boot, ctl.preset, text);
  if (seq !== ctl.seq) throw superseded();
  if (!json) { ctl.boot.prepared[ctl.preset][text] = null; return ctl.retrace(text); }
  if (ctl.queued) { // an earlier text queued for Python is not wanted any more
    ctl.queued.done.reject(superseded());
    ctl.queued = null;
  }
  ctl.show(json, text, traceFromJson);
  hideMessage();
  return afterPaint();
}
