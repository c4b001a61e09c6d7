// Share: the page's whole state lives in the URL, driven both ways by one declarative table.
// Reading the URL restores the state once at start; every change writes it back (replaceState).

import * as i18n from "../i18n.js";
import { quiet } from "../util.js";
import { normalise } from "./intervene.js";
import * as wire from "./wire.js";
import { isDefault as contrastDefault, setState as setContrast, state as contrast } from "./contrast.js";

// key: URL parameter. read(ctl, w) -> string, or null for "the default" (left out of the URL).
// restore(ctl, w, value, pending) applies a value; `stage` orders restoring: 0 model, 1 text and
// clamps (kept in `pending` for one trace), 2 what depends on the trace.
const MAX_URL_TEXT = 2000; // characters; longer texts stay out of links (browsers cap URLs)
// the language asked for by this page's link (web/lang.js applied it before the first paint):
// links keep it; without it, a link opens in its reader's own language
const askedLang = new URLSearchParams(location.search).get("lang");
// a tab in links: its English title, whatever the page's language (web/strings.py tab.<name>)
const tabTitle = (panel) => i18n.english(`tab.${(panel.name || "").replace(/^panel_/, "")}`) || panel.title;
const ASKED_THEME = ((t) => (t === "dark" || t === "light" ? t : null))(
  new URLSearchParams(location.search).get("theme")); // as the page opened
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
    read: (c, w) => (w.panels && w.panels.active ? tabTitle(w.panels.tabs[w.panels.active]) : null),
    restore: (c, w, v) => {
      if (!w.panels || VIEWS) return;
      const k = w.panels.tabs.findIndex((p) => tabTitle(p) === v || p.title === v);
      if (k >= 0) w.panels.active = k;
    } },
  { key: "lang", stage: 2, // applied by web/lang.js before the first paint
    read: () => (askedLang === i18n.lang ? i18n.lang : null),
    restore: () => {} },
  // the parts an embed shows (web/viewset.js applied them before BokehJS built the views)
  { key: "views", stage: 2, read: () => VIEWS, restore: () => {} },
  // the theme the link asked for (web/theme.js applied it before the first paint); without one,
  // the reader's system decides, and links leave it so
  { key: "theme", stage: 2,
    read: () => ASKED_THEME,
    restore: () => {} },
  { key: "wire", stage: 2, // the Wire tab's cell, when it is not the preset (wire.js, wiretext.js)
    read: () => wire.urlValue(),
    restore: (c, w, v) => wire.restoreUrl(v) },
  // the Contrast tab (web/features/contrast.js): its texts, what is patched at which step, and
  // the corpus view's source, quantity and unit ("layer:unit")
  ...[["ca", "a"], ["cb", "b"], ["cwhat", "what"], ["ct", "t"], ["csrc", "source"],
    ["cq", "quantity"], ["cunit", "unit"]].map(([key, name]) => ({ key, stage: 2,
    read: () => (contrast[name] === null || contrastDefault(name) ? null : String(contrast[name])),
    restore: (c, w, v) => setContrast(name, name === "t" ? Number(v) : v) })),
  { key: "embed", stage: 2,
    read: () => (document.documentElement.classList.contains("embed") ? "" : null),
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
    await ctl.opened; // what the page opened on (opening.js) is shown: the rest goes on it
    const pending = {};
    for (const stage of [0, 1, 2]) {
      for (const f of FIELDS.filter((x) => x.stage === stage && params.has(x.key))) {
        try {
          await f.restore(ctl, w, params.get(f.key), pending);
        } catch (err) {
          showMessage(i18n.t("msg.restore_failed", { field: f.key, reason: err.message }));
        }
      }
      if (stage === 1 && (params.has("text") || params.has("clamps"))) {
        // the text the page opened on (opening.js) is shown, or will be: wait for it
        if (!params.has("clamps") && pending.text === ctl.open.text && ctl.text === pending.text) await quiet(ctl.opened);
        else await quiet(ctl.setText(pending.text ?? ctl.text, pending)); // the page shows why a trace fails
      }
    }
  }

  // the language switch (index.html, web/localize.py): this view, in the other language
  function switchLinks(query) {
    for (const a of document.querySelectorAll("a.lang-switch")) {
      const params = new URLSearchParams(query);
      params.set("lang", a.dataset.langTo);
      a.href = `${location.pathname}?${params}${location.hash}`;
    }
  }

  let timer = null;
  function write() {
    if (restoring) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      const query = encode(ctl, w);
      switchLinks(query);
      const url = `${location.pathname}${query ? "?" + query : ""}${location.hash}`;
      if (url !== location.pathname + location.search + location.hash) history.replaceState(null, "", url);
    }, 250);
  }

  const params = new URLSearchParams(location.search);
  const restored = restore(params).finally(() => { restoring = false; write(); });
  for (const ev of ["trace", "step", "unit", "wire", "contrast"]) ctl.addEventListener(ev, write);
  w.speed.property("value").change.connect(write);
  tabs.onChange(write);
  m("share").on_event("button_click", async () => {
    clearTimeout(timer);
    const link = `${location.origin}${location.pathname}?${encode(ctl, w)}`;
    const model = ctl.builtin.has(ctl.preset) ? ""
      : i18n.t("share.model_note", { preset: ctl.boot.preset, name: ctl.preset });
    try {
      await navigator.clipboard.writeText(link);
      showMessage((ctl.text.length > MAX_URL_TEXT ? i18n.t("share.too_long", { max: MAX_URL_TEXT })
        : i18n.t(model ? "share.copied_model" : "share.copied", { n: link.length })) + model);
    } catch {
      showMessage(i18n.t(model ? "share.manual_model" : "share.manual", { link }) + model);
    }
  });
  return {
    url: () => { clearTimeout(timer); const q = encode(ctl, w); return `${location.origin}${location.pathname}${q ? "?" + q : ""}`; },
    restored: () => restored,
  };
}
