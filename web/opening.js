// What the page opens on, read from its URL before anything is drawn: the model (preset), text,
// step, unit and layer, and the trace to show first. So an embed shows what its author chose
// from the first paint (the pictures of features/preview.js, then the views), never another
// sentence's numbers:
//   - the text of the boot data (build.py's default): its trace is in the boot data;
//   - a prepared text (web/embeds.py, boot["prepared"]): its trace is fetched from traces/;
//   - any other text: a pending trace (pendingTrace) of its words, its values not known
//     (NaN) until Python has computed them; the views mark it as computing.
// urlstate.js restores the rest of the URL (clamps, speed, tab) once the features are installed,
// and skips what is already shown.

import { ARRAYS } from "./trace.js";

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
