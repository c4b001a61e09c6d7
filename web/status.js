// The status line, the message line and the error box above the views (plain DOM from
// index.html, text only: never HTML). The error box's Retry runs the action given with the error.

import { t } from "./i18n.js";
import { byId, quiet } from "./util.js";

export class Status {
  /** pending: the page opened on a text whose trace Python has to compute (opening.js). */
  constructor({ pending = false } = {}) {
    this.pending = pending;
    this.el = byId("pysim-status");
    this.text = byId("pysim-status-text");
    this.note = byId("pysim-model-note");
    this.loading();
  }

  loading() {
    this.el.className = "";
    this.text.textContent = this.pending ? t("embed.status.computing")
      : "Loading Python (Pyodide + numpy) in the background. The trace shown was computed when the site was built.";
  }

  /** Python has not started (web/lazy.js): "view" (an embed, until seen or used) or "ask"
   *  (Save-Data / a slow connection); `mb`: Python's download size. */
  waiting(mode, mb) {
    this.el.className = "";
    this.text.textContent = t(mode === "ask" ? "lazy.saving" : "lazy.view", { mb });
  }

  progress({ loaded, total, file }) {
    const mb = (b) => (b / 1e6).toFixed(1);
    const of = total ? ` of ${mb(total)} MB` : " MB";
    const shown = this.pending ? t("embed.status.computing_short") : "The trace shown was computed when the site was built.";
    this.text.textContent = `Loading Python (Pyodide + numpy): ${mb(loaded)}${of} \u2014 ${file}. ${shown}`;
  }

  ready({ ms, info, boot }) {
    this.pending = false;
    this.el.className = "ready";
    const how = boot === "snapshot" ? " (restored from the copy this browser kept of your last visit)" : "";
    this.text.textContent = `Python ready in ${(ms / 1000).toFixed(1)} s${how}: every trace is now computed live in your browser.`;
    if (info) this.model(info);
  }

  model(info) {
    this.note.textContent = `${info.name}: ${info.layers} layer${info.layers > 1 ? "s" : ""} \u00d7 ${info.hidden} units. ${info.description}`;
  }

  failed(reason) {
    this.el.className = "failed";
    this.text.textContent = `Python is not running: ${reason}`;
  }
}

export function showMessage(text) {
  const el = byId("pysim-message");
  el.textContent = text;
  el.hidden = false;
}

export function hideMessage() { byId("pysim-message").hidden = true; }

let retryAction = null;
export function showError(text, retry) {
  byId("pysim-error-text").textContent = text;
  byId("pysim-error").hidden = false;
  retryAction = retry;
  byId("pysim-retry").hidden = !retry;
}

export function hideError() { byId("pysim-error").hidden = true; }

/** Wire the error box's buttons (once). */
export function wireErrorBox() {
  byId("pysim-retry").addEventListener("click", () => {
    const f = retryAction;
    hideError();
    if (f) quiet(Promise.resolve(f()));
  });
  byId("pysim-error-close").addEventListener("click", hideError);
}
