// Python when it is needed (web/start.js chooses the policy, launch.mode):
//   "now"   nothing to do here: start.js has started the worker already.
//   "view"  (an embed) Python starts when the embed is first scrolled into view (an
//           IntersectionObserver: inside an iframe it sees the parent page's viewport), or first
//           touched, clicked, focused or typed in. What needs Python before that (the link's own
//           text or model, a pysim.* action) waits for it.
//   "ask"   (Save-Data or a slow connection) the prerendered examples are read and stepped with
//           no Python; when the reader asks for something that needs it (typing, training,
//           loading a file, switching model, ...), a prompt says so with Python's size (build.py
//           puts the bytes in boot["python"]) and a button that starts it. Nothing starts without
//           that button, or window.pysim.start() / reading window.pysim.ready.
// The status line says which (Status.waiting).

import { t } from "./i18n.js";
import { launch } from "./start.js";
import { byId } from "./util.js";

const TRIGGERS = ["pointerdown", "keydown", "focusin", "touchstart"];

/** Size in MB for the reader: one decimal. */
const mb = (bytes) => (bytes / 1e6).toFixed(1);

/** Wire the start policy to controller `ctl` (once, right after it is made). */
export function install(ctl) {
  if (ctl.bridge.started) return;
  const size = ctl.boot.python || { bytes: 0, gzip: 0 };
  ctl.status.waiting(launch.mode, mb(size.gzip || size.bytes));
  if (launch.mode === "view") {
    ctl.bridge.handlers.need = () => {}; // what needs Python (the link's text or model) waits
    watch(() => ctl.startPython());
  }
  if (launch.mode === "ask") ctl.bridge.handlers.need = (reason) => ask(ctl, reason, mb(size.gzip || size.bytes));
}

/** Call start() once: when the page is first in view or first used. */
function watch(start) {
  let done = false;
  const go = () => {
    if (done) return;
    done = true;
    observer && observer.disconnect();
    for (const type of TRIGGERS) removeEventListener(type, go, true);
    start();
  };
  const observer = typeof IntersectionObserver === "function"
    ? new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting)) go(); })
    : null;
  if (observer) observer.observe(byId("pysim-stage"));
  else go(); // no way to tell: start at once
  for (const type of TRIGGERS) addEventListener(type, go, { capture: true, passive: true });
}

/** The prompt: "<what> needs Python (<size> MB). Load it?" with a button; the latest reason wins. */
function ask(ctl, reason, size) {
  let box = byId("pysim-ask");
  if (!box) {
    box = document.createElement("div");
    box.id = "pysim-ask";
    box.setAttribute("role", "alert");
    const text = document.createElement("span");
    text.id = "pysim-ask-text";
    const load = document.createElement("button");
    load.type = "button";
    load.id = "pysim-ask-load";
    load.textContent = t("lazy.load");
    load.addEventListener("click", () => {
      box.hidden = true;
      ctl.startPython();
    });
    box.append(text, " ", load);
    byId("pysim-status").after(box);
  }
  byId("pysim-ask-text").textContent = t("lazy.ask", { what: t(`lazy.need.${reason}`), mb: size });
  box.hidden = false;
}
