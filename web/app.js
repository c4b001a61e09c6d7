// pysim's page: the composition root, the only module that knows both Pyodide (through the
// worker bridge) and BokehJS. No inline scripts, no CustomJS, no eval: the site runs under a
// strict CSP. The parts, one job each:
//   bridge.js      the Python worker (web/worker.js): requests, progress, crashes, restart
//   trace.js       the trace format (prerendered JSON and live typed arrays)
//   views.js       the BokehJS models of web/page.py and how a trace is drawn into them
//   cursor.js      the step cursor over each figure
//   controller.js  the page's state and every action on it
//   status.js      the status line, messages, the error box and its Retry
//   widgets.js     widgets and keyboard -> controller; set(): changes that raise no events
//   swipe.js       swipes and taps on the token strip and heatmaps -> controller
//   tabs.js        the feature tabs: which is open, code run when one opens
//   api.js         window.pysim
//   start.js       when and where Python starts (at once, in view, on demand; shared by embeds)
//   lazy.js        starting it when an embed is seen or used, or when the reader says so
//   i18n.js        the page's words in the reader's language (web/strings.py): t(key)
//   variants.js    the Bokeh documents' variants (dark theme, ...): patches applied before embedding
//   (theme.js and lang.js, classic scripts run by index.html before the first paint, choose the
//   theme and the language)
//   opening.js     what the page opens on (the URL's text, model, step...; a prepared trace)
//   pieces.js      BokehJS builds the views a piece a task (no long task)
//   viewset.js     &views=: the parts an embed shows
//   height.js      an embed's height, told to its parent page (which runs embed.js)
//   features/      the tabs' features (features/index.js), the preview and the plot overlays

import { makeApi } from "./api.js";
import { Controller } from "./controller.js";
import { FEATURES } from "./features/index.js";
import { install as installLazy } from "./lazy.js";
import { drawPreview, markStep, pictureHeight, reveal } from "./features/preview.js";
import { tellHeight } from "./height.js";
import { setup as setupLanguage, t } from "./i18n.js";
import { opening } from "./opening.js";
import { embedPieces, embedWhenNear, nextTask } from "./pieces.js";
import { hideMessage, showError, showMessage, wireErrorBox } from "./status.js";
import { wireSwipe } from "./swipe.js";
import { Tabs } from "./tabs.js";
import { at, traceToJson } from "./trace.js";
import { afterPaint, byId } from "./util.js";
import { applyViews, chooseViews } from "./viewset.js";
import { model, rememberModels, Views } from "./views.js";
import { applyVariants } from "./variants.js";
import { wire } from "./widgets.js";

/** Run BokehJS's scripts (preloaded by index.html), in order. */
function loadScripts(files) {
  return files.reduce((prev, src) => prev.then(() => new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(s);
  })), Promise.resolve());
}

// ---- start ----------------------------------------------------------------------------------
// a module script runs once the page is parsed: the worker starts first (start.js, then the
// Controller), then what the URL opens on is drawn as pictures (its trace, prerendered by
// build.py, or its words while Python computes it), then BokehJS builds the views in their place
const boot = JSON.parse(byId("pysim-boot").textContent); // build.py write_page
// the theme chosen by theme.js: its colours for every module that reads boot.constants
const theme = document.documentElement.dataset.theme === "dark" ? "dark" : "light";
const themed = boot.constants.themes[theme];
Object.assign(boot.constants, { theme: themed, colours: themed.colours, ink: themed.ink });
boot.theme = theme; // features/preview.js: its colour scales
const lang = setupLanguage(boot.strings); // the language web/lang.js chose before the first paint
const { chosen, unknown } = chooseViews(boot.views);
if (!chosen) document.documentElement.classList.remove("views"); // (web/theme.js set it)
const open = opening(boot);
const ctl = new Controller(boot, open);
installLazy(ctl);
wireErrorBox();
if (unknown.length) showMessage(`The link's views: ${unknown.join(", ")} unknown, left out.`);
const stage = byId("pysim-stage");
// {main, panels}: web/documents.py, in the chosen variant (web/variants.py: patches of the base
// documents, by model id: applied before applyViews drops the parts an embed leaves out)
const items = applyVariants(JSON.parse(byId("pysim-doc").textContent), boot.variants,
  [...(lang === "en" ? [] : [`lang:${lang}`]), ...(theme === "dark" ? ["theme:dark"] : [])]);
applyViews(items, boot.views, chosen);
let preview = null;
let pieces = null; // web/pieces.js {sight, done, all}, and `shown`: the pictures gone
const pieceBuilt = new EventTarget(); // "built": each piece built (features/a11y.js sweeps it)
const drawn = (async () => {
  // a prepared embed's trace is one small file (traces/): its pictures wait for it
  if (open.fetched) open.trace = await open.fetched;
  preview = drawPreview(stage, ctl.boot, open, chosen);
  if (chosen) stage.style.minHeight = `${preview.offsetHeight}px`; // the pictures hold the place
  tellHeight();
  await afterPaint();
  performance.mark("pysim:preview"); // what the page opens on is on screen, as pictures
  await loadScripts(ctl.boot.bokeh);
  // BokehJS builds the views a piece a task (web/pieces.js; the rows of figures, web/embeds.py
  // CONTAINERS, are taken apart into their figures), those near the viewport first; the others
  // once the reader comes near them, or when pysim.drawn or pysim.ready asks for all. The trace is
  // drawn into the models before any view exists (each piece is laid out once, with its data) and
  // the widgets and keys are wired: the keyboard steps the pictures at once. Each piece, once
  // built, takes its picture's place with its step cursor (and its gestures: swipe.js); the first
  // figure with one (the token strip, built first) answers stepping and hover ("pysim:answers").
  let views = null;
  const built = new Set();
  const onStep = () => markStep(preview, ctl.t);
  const onTrace = () => preview.classList.add("stale"); // no picture of another text is left
  pieces = await embedPieces(items.main, "pysim-root", Object.keys(ctl.boot.views.containers), {
    first: ["tok_fig"], // the words and their tags: the first view that steps and hovers
    room: (piece) => pictureHeight(preview, piece.name),
    margin: ctl.boot.constants.build_margin,
    decoded: (doc) => {
      rememberModels(doc);
      views = new Views(ctl.boot.constants);
      ctl.attach(views);
      wire(ctl, views);
      ctl.addEventListener("step", onStep);
      ctl.addEventListener("trace", onTrace);
    },
    built: (piece) => {
      built.add(piece.name);
      reveal(preview, built);
      wireSwipe(ctl, ctl.boot.constants.touch, piece);
      if (views.built(piece, ctl.t) && !performance.getEntriesByName("pysim:answers").length) {
        performance.mark("pysim:answers");
      }
      pieceBuilt.dispatchEvent(new CustomEvent("built", { detail: piece }));
    },
  });
  // every piece built (the reader came near each, or pysim.drawn asked for all): the pictures go
  pieces.shown = pieces.done.then(async () => {
    ctl.removeEventListener("step", onStep);
    ctl.removeEventListener("trace", onTrace);
    await afterPaint();
    preview.remove();
    stage.style.minHeight = "";
    performance.mark("pysim:drawn"); // the interactive views (BokehJS) are all on screen
  });
  await pieces.sight;
  return views;
})();
// Python boots once the views in sight are built (or could not be): until then its worker only
// downloads (bridge.js go(), worker.js: the boot's CPU made these builds twice as slow). A page
// in a background tab builds nothing until it is shown (no frames): its Python boots at once.
drawn.then(() => ctl.bridge.go(), () => ctl.bridge.go());
const goIfHidden = () => { if (document.hidden) ctl.bridge.go(); };
goIfHidden();
document.addEventListener("visibilitychange", goIfHidden);
let panels = null; // web/pieces.js embedWhenNear: the tabs' document
/** Every piece of the views built now, those not yet seen too, and the tabs (pysim.drawn and
 *  pysim.ready). */
const everything = () => drawn.then(() => pieces.all()).then(() => pieces.shown)
  .then(() => decodedPanels).then(() => panels.build());
// the feature tabs (web/panels/, web/features/): decoded once the views in sight are built, and
// built then if they are near the viewport too (an embed of the cell diagram alone), otherwise
// once the reader comes near them (BokehJS builds the open tab's views only; the others when
// they first open). The features are installed a task each; what they do with the tabs' views
// waits for ctx.panelsShown.
const decodedPanels = drawn.then(async () => {
  await nextTask();
  panels = await embedWhenNear(items.panels, "pysim-panels", ctl.boot.constants.build_margin);
  rememberModels(panels.doc);
});
const featured = decodedPanels.then(async () => {
  if (panels.near) await panels.shown;
  const views = await drawn;
  const ctx = { ctl, views, m: model, bridge: ctl.bridge, tabs: new Tabs(model), afterPaint,
                pieceBuilt, panelsShown: panels.shown, showMessage, hideMessage, showError, at,
                traceToJson };
  for (const feature of FEATURES) { // a task each
    await nextTask();
    Object.assign(window.pysim, feature.install(ctx) || {});
  }
});
for (const p of [drawn, featured, drawn.then(() => pieces.shown), featured.then(() => panels.shown)]) {
  p.catch((err) => showError(t("msg.draw_failed", { reason: err.message }), () => location.reload()));
}
/** Python is up, every feature is installed, the state from the URL is restored and the link's own
 *  text (its words shown pending at first) is traced: pysim.ready, less the views not yet seen. */
const settled = () => ctl.ready.then(() => featured)
  .then(() => window.pysim.restored && window.pysim.restored()).then(() => ctl.opened);
window.pysim = makeApi(ctl, drawn, settled, everything);

// ---- offline: a service worker (sw.js) keeps this build for repeat visits and offline use ----
// Registered once Python is ready, so that a first visit loads every file once (see sw.js), and
// a visit that never starts Python (Save-Data, an embed never seen) does not download it.
function keepOffline() {
  if (!("serviceWorker" in navigator)) return; // not a secure context: the site just stays online
  const sw = navigator.serviceWorker;
  if (sw.controller) { // this page came from the cache: say so when a newer build takes over
    sw.addEventListener("controllerchange", () =>
      showMessage(t("msg.new_version")), { once: true });
  }
  // once settled (not pysim.ready, which would build the views the reader has not seen)
  settled()
    .then(() => sw.register(new URL("sw.js", import.meta.url)))
    .catch(() => {}); // without it, only repeat visits from the cache and offline use are lost
}
keepOffline();
