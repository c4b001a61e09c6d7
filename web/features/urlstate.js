// Share: the page's whole state lives in the URL, driven both ways by one declarative table.
// Reading the URL restores the state once at start; every change writes it back (replaceState).

import { quiet } from "../util.js";
import { normalise } from "./intervene.js";

// key: URL parameter. read(ctl, w) -> string, or null for "the default" (left out of the URL).
// restore(ctl, w, value, pending) applies a value; `stage` orders restoring: 0 model, 1 text and
// clamps (kept in `pending` for one trace), 2 what depends on the trace.
const MAX_URL_TEXT = 2000; // characters; longer texts stay out of links (browsers cap URLs)
const VIEWS = new URLSearchParams(location.search).get("views"); // fixed for the page's life

const FIELDS = [
  { key: "preset", stage: 0,
    // models trained or loaded on the page live only in this tab: links keep to the presets
    read: (c) => (c.preset === c.boot.preset || !c.builtin.has(c.preset) ? null : c.preset),
    restore: (c, w, v) => (c.preset === v ? undefined : c.setPreset(v)) }, // opening.js chose it
  { key: "text", stage: 1,
    // left out when it is the default text of the model the link opens with
    read: (c) => (c.text === c.boot.presets[c.builtin.has(c.preset) ? c.preset : c.boot.preset].text
      || c.text.length > MAX_URL_TEXT ? null : c.text),
    restore: (c, w, v, pending) => { pending.text = v; } },
  { key: "clamps", stage: 1,
    read: (c) => (c.clamps.length ? JSON.stringify(c.clamps) : null),
    restore: (c, w, v, pending) => { pending.clamps = normalise(JSON.parse(v)); } },
  { key: "t", stage: 2,
    read: (c) => (c.t === c.trace.T - 1 ? null : String(c.t)),
    restore: (c, w, v) => c.seek(Number(v)) },
  { key: "layer", stage: 2,
    read: (c) => (c.layer ? String(c.layer) : null),
    restore: (c, w, v) => c.setLayer(Number(v)) },
  { key: "unit", stage: 2,
    read: (c) => (c.unit ? String(c.unit) : null),
    restore: (c, w, v) => c.setUnit(Number(v)) },
  { key: "speed", stage: 2,
    read: (c, w) => (w.speed.value === 2 ? null : String(w.speed.value)),
    restore: (c, w, v) => { const s = Number(v); if (s >= w.speed.start && s <= w.speed.end) w.speed.value = s; } },
  { key: "tab", stage: 2,
    read: (c, w) => (w.panels && w.panels.active ? w.panels.tabs[w.panels.active].title : null),
    restore: (c, w, v) => { if (w.panels && !VIEWS) { const k = w.panels.tabs.findIndex((p) => p.title === v); if (k >= 0) w.panels.active = k; } } },
  // the parts an embed shows (web/viewset.js applied them before BokehJS built the views)
  { key: "views", stage: 2, read: () => VIEWS, restore: () => {} },
  { key: "embed", stage: 2,
    read: () => (document.body.classList.contains("embed") ? "" : null),
    restore: () => document.body.classList.add("embed") },
];

export function encode(ctl, w) {
  const params = new URLSearchParams();
  for (const f of FIELDS) {
    const v = f.read(ctl, w);
    if (v !== null) params.set(f.key, v);
  }
  return params.toString();
}

export function install({ ctl, views, m, tabs, showMessage }) {
  const w = { ...views.w, panels: tabs.tabs };
  let restoring = true;

  async function restore(params) {
    const pending = {};
    for (const stage of [0, 1, 2]) {
      for (const f of FIELDS.filter((x) => x.stage === stage && params.has(x.key))) {
        try {
          await f.restore(ctl, w, params.get(f.key), pending);
        } catch (err) {
          showMessage(`The link's ${f.key} could not be restored: ${err.message}`);
        }
      }
      if (stage === 1 && (params.has("text") || params.has("clamps"))) {
        // the text the page opened on (opening.js) is shown, or will be: wait for it
        if (!params.has("clamps") && pending.text === ctl.open.text && ctl.text === pending.text) await quiet(ctl.opened);
        else await quiet(ctl.setText(pending.text ?? ctl.text, pending)); // the page shows why a trace fails
      }
    }
  }

  let timer = null;
  function write() {
    if (restoring) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      const query = encode(ctl, w);
      const url = `${location.pathname}${query ? "?" + query : ""}${location.hash}`;
      if (url !== location.pathname + location.search + location.hash) history.replaceState(null, "", url);
    }, 250);
  }

  const params = new URLSearchParams(location.search);
  const restored = restore(params).finally(() => { restoring = false; write(); });
  for (const ev of ["trace", "step", "unit"]) ctl.addEventListener(ev, write);
  w.speed.property("value").change.connect(write);
  tabs.onChange(write);
  m("share").on_event("button_click", async () => {
    clearTimeout(timer);
    const link = `${location.origin}${location.pathname}?${encode(ctl, w)}`;
    const model = ctl.builtin.has(ctl.preset) ? ""
      : ` It opens with the ${ctl.boot.preset} model: \u201c${ctl.preset}\u201d lives only in this tab ` +
        "(Model & export downloads its file, for others to load).";
    try {
      await navigator.clipboard.writeText(link);
      showMessage((ctl.text.length > MAX_URL_TEXT
        ? `Link copied, without the text: it is longer than ${MAX_URL_TEXT} characters, too long for a link.`
        : model ? `Link copied (${link.length} characters).` : `Link copied: it opens this exact view (${link.length} characters).`) + model);
    } catch {
      showMessage(`Copy this link to share ${model ? "this view" : "this exact view"}: ${link}${model}`);
    }
  });
  return {
    url: () => { clearTimeout(timer); const q = encode(ctl, w); return `${location.origin}${location.pathname}${q ? "?" + q : ""}`; },
    restored: () => restored,
  };
}
