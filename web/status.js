// The status line, the message line and the error box above the views (plain DOM from
// index.html, text only: never HTML). The error box's Retry runs the action given with the error.

import { english, has, t } from "./i18n.js";
import { byId, quiet } from "./util.js";

export class Status {
  /** pending: the page opened on a text whose trace Python has to compute (opening.js); info:
   *  the opening model's description (build.py boot.presets), said from the first paint so that
   *  the line does not grow when Python, ready, says it. */
  constructor({ pending = false, info = null } = {}) {
    this.pending = pending;
    this.el = byId("pysim-status");
    this.text = byId("pysim-status-text");
    this.note = byId("pysim-model-note");
    this.loading();
    if (info) this.model(info);
  }

  loading() {
    this.el.className = "";
    this.text.textContent = this.pending ? t("embed.status.computing") : t("status.loading");
  }

  /** Python has not started (web/lazy.js): "view" (an embed, until seen or used) or "ask"
   *  (Save-Data / a slow connection); `mb`: Python's download size. */
  waiting(mode, mb) {
    this.el.className = "";
    this.text.textContent = t(mode === "ask" ? "lazy.saving" : "lazy.view", { mb });
  }

  progress({ loaded, total, file }) {
    const mb = (b) => (b / 1e6).toFixed(1);
    const shown = this.pending ? t("embed.status.computing_short") : t("status.built");
    this.text.textContent = total ? t("status.progress", { loaded: mb(loaded), total: mb(total), file, shown })
      : t("status.progress_unsized", { loaded: mb(loaded), file, shown });
  }

  ready({ ms, info, boot }) {
    this.pending = false;
    this.el.className = "ready";
    const s = (ms / 1000).toFixed(1);
    this.text.textContent = t(boot === "snapshot" ? "status.ready_snapshot" : "status.ready", { s });
    if (info) this.model(info);
  }

  model(info) {
    // a preset's description in the page's language (web/strings.py preset.<name>); the
    // description a model file or a training run brings is its own (data: as written)
    const own = `preset.${info.name}`;
    const description = has(own) && info.description === english(own) ? t(own) : info.description;
    this.note.textContent = t(info.layers === 1 ? "status.model_one" : "status.model",
      { name: info.name, layers: info.layers, hidden: info.hidden, description });
  }

  failed(reason) {
    this.el.className = "failed";
    this.text.textContent = t("status.failed", { reason });
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
