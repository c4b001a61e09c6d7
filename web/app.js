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
//   i18n.js        the page's words in the reader's language (web/strings.py): t(key)
//   features/      the tabs' features (features/index.js), the preview and the plot overlays

import { makeApi } from "./api.js";
import { Controller } from "./controller.js";
import { FEATURES } from "./features/index.js";
import { drawPreview } from "./features/preview.js";
import { setup as setupLanguage } from "./i18n.js";
import { hideMessage, showError, showMessage, wireErrorBox } from "./status.js";
import { wireSwipe } from "./swipe.js";
import { Tabs } from "./tabs.js";
import { at, traceToJson } from "./trace.js";
import { afterPaint, byId } from "./util.js";
import { model, Views } from "./views.js";
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
// a module script runs once the page is parsed: the worker starts first (in the Controller),
// then the prerendered trace is drawn as pictures, then BokehJS builds the views in their place
const ctl = new Controller(JSON.parse(byId("pysim-boot").textContent)); // build.py write_page
setupLanguage(ctl.boot.strings);
wireErrorBox();
if (new URLSearchParams(location.search).has("embed")) document.body.classList.add("embed");
const preview = drawPreview(byId("pysim-stage"), ctl.boot);
const items = JSON.parse(byId("pysim-doc").textContent); // {main, panels}: web/page.py
const drawn = (async () => {
  await afterPaint();
  performance.mark("pysim:preview"); // the prerendered trace is on screen
  await loadScripts(ctl.boot.bokeh);
  await window.Bokeh.embed.embed_item(items.main, "pysim-root");
  const views = new Views(ctl.boot.constants);
  ctl.attach(views);
  wire(ctl, views);
  wireSwipe(ctl, ctl.boot.constants.touch);
  await afterPaint();
  preview.remove();
  performance.mark("pysim:drawn"); // the interactive views (BokehJS) are on screen
  return views;
})();
// the feature tabs (web/panels/, web/features/): embedded once the main views are on screen
const featured = drawn.then(async (views) => {
  await window.Bokeh.embed.embed_item(items.panels, "pysim-panels");
  const ctx = { ctl, views, m: model, bridge: ctl.bridge, tabs: new Tabs(model), afterPaint,
                showMessage, hideMessage, showError, at, traceToJson };
  for (const feature of FEATURES) Object.assign(window.pysim, feature.install(ctx) || {});
});
for (const p of [drawn, featured]) {
  p.catch((err) => showError(`the page could not be drawn: ${err.message}`, () => location.reload()));
}
window.pysim = makeApi(ctl, drawn, featured);

// ---- offline: a service worker (sw.js) keeps this build for repeat visits and offline use ----
// Registered once Python is ready, so that a first visit loads every file once (see sw.js).
function keepOffline() {
  if (!("serviceWorker" in navigator)) return; // not a secure context: the site just stays online
  const sw = navigator.serviceWorker;
  if (sw.controller) { // this page came from the cache: say so when a newer build takes over
    sw.addEventListener("controllerchange", () =>
      showMessage("A new version of pysim has been installed: reload the page to use it."), { once: true });
  }
  window.pysim.ready.then(() => sw.register(new URL("sw.js", import.meta.url)))
    .catch(() => {}); // without it, only repeat visits from the cache and offline use are lost
}
keepOffline();
