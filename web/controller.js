// The controller: the page's one state (the trace on screen, its text, model, step, unit, layer,
// clamps) and every action on it. Views, widgets and features change the page only through its
// methods; each action returns a promise that resolves once the views show the result.
// Events (listen with addEventListener): "trace" (a new trace is drawn), "step" (t moved),
// "unit" (unit or layer changed), "restart" (Python is started again after a crash).

import { Bridge } from "./bridge.js";
import { t } from "./i18n.js";
import { isPrepared, openWith, showPrepared, startOn } from "./opening.js";
import { hideError, hideMessage, showError, showMessage, Status } from "./status.js";
import { traceFromJson, traceFromWorker, traceToJson } from "./trace.js";
import { afterPaint } from "./util.js";
import { set } from "./widgets.js";

export class Controller extends EventTarget {
  /** `open`: what the page opens on (opening.js: its trace, or its words pending for Python). */
  constructor(boot, open = { preset: boot.preset, text: boot.text, trace: boot.trace }) {
    super(); this.boot = boot;
    this.builtin = new Set(Object.keys(boot.presets)); // the presets every new worker has
    this.kept = new Map(); // name -> .npz bytes of the models the page made (files, training)
    this.clamps = [];      // interventions: [{gate, value, layer, unit, t0, t1}], sent with every trace
    startOn(this, open); // trace, text, preset, t, unit, layer: what the page opens on
    this.timer = null;     // playing
    this.seq = 0;          // the latest text request; older answers are dropped
    this.queued = null;    // text typed before Python was ready
    this.isReady = false;  // Python is ready
    this.status = new Status({ pending: Boolean(this.trace.pending && !open.fetched),
                               info: (boot.presets[this.preset] || {}).info });
    this.bridge = new Bridge({ // need: something needs Python before it started (web/lazy.js)
      progress: (msg) => this.status.progress(msg),
      ready: (msg) => this.onReady(msg),
      fatal: (reason) => this.onFatal(reason),
      need: () => this.startPython(),
    });
    this.ready = this.bridge.ready.then(() => undefined);
    // `opened`: the opening text is shown (now, once its prepared trace is fetched, or traced)
    this.opened = Promise.resolve(this.trace.pending && open.fetched).then((json) =>
      this.trace.pending && openWith(this, json)).catch(() => {}); // failures: on the page
  }

  attach(views) {
    this.views = views;
    // the widgets say what the page opened on (web/page.py has the default)
    set(views.w.text, { value: this.text, value_input: this.text });
    set(views.w.preset, { value: this.preset });
    this.redraw();
  }

  // -- drawing
  redraw() {
    this.views.drawTrace(this.trace, this.layer, this.unit);
    this.views.drawStep(this.t, this.trace.T);
    this.emit("trace");
  }

  emit(name) { this.dispatchEvent(new Event(name)); }

  // -- Python
  startPython() { if (!this.bridge.started) { this.status.loading(); this.bridge.start(); } return this.ready; }
  onReady(msg) {
    this.isReady = true;
    this.python = { boot: msg.boot, ms: msg.ms, shared: Boolean(msg.shared), worker: msg.worker, pages: msg.pages }; // api.js
    this.status.ready(msg);
    if (msg.info && msg.info.name !== this.preset) this.bringBack(this.preset, msg.info);
    else if (msg.info) this.showModelInfo(msg.info);
    if (this.queued !== null) {
      const { text, done } = this.queued;
      this.queued = null;
      this.retrace(text).then(done.resolve, done.reject);
    }
  }

  /** Keep a model's file, so that a restarted worker can be given it back (bringBack). */
  keep(name, bytes) {
    this.kept.set(name, bytes);
  }

  // A restarted worker starts with the default model: bring back the one on screen, a preset or
  // a model the page made (its kept file). The worker answers in order, so the trace queued by
  // onReady already uses it. A model that cannot come back is said so, and the default is shown.
  // The queued trace (restart() always queues one) then redraws the views with that model.
  bringBack(name, current) {
    const bytes = this.kept.get(name);
    const call = this.builtin.has(name) ? this.bridge.call("set_preset", name)
      : bytes ? this.bridge.call("restore_model", bytes, name) : null;
    const lost = (why) => { // the worker keeps its default model: the menu and status say so
      this.showModelInfo(current);
      showMessage(why ? t("msg.model_lost_why", { name, why, current: current.name })
        : t("msg.model_lost", { name, current: current.name }));
    };
    if (!call) return lost("");
    call.then((info) => this.showModelInfo(info), (err) => lost(err.message));
  }

  /** Name the worker's current model everywhere but the views: the Model menu (listing it if
   *  new, without triggering a switch), the status line, the article's buttons. */
  showModelInfo(info) {
    const name = info.name;
    this.preset = name;
    if (this.views) {
      const sel = this.views.w.preset;
      const values = sel.options.map((o) => (Array.isArray(o) ? o[0] : o));
      const props = {};
      if (!values.includes(name)) props.options = [...sel.options, name];
      if (sel.value !== name) props.value = name;
      set(sel, props);
      this.views.showArticle(Boolean(info.article));
    }
    this.status.model(info);
  }

  /** The current model changed in place (a training chunk): the status line describes it anew. */
  refreshModel(info) {
    this.status.model(info);
  }

  onFatal(reason) {
    this.isReady = false;
    this.status.failed(reason);
    showError(t("msg.fatal", { reason }),
      () => this.restart());
  }

  restart() {
    hideError();
    this.emit("restart"); // features whose state lived in the stopped worker forget it
    this.status.loading();
    if (this.queued === null) { // trace again what was asked last (a crash may have cut it short)
      const noop = () => {};
      this.queued = { text: this.wanted ?? this.text, done: { resolve: noop, reject: noop } };
    }
    this.bridge.restart();
    this.ready = this.bridge.ready.then(() => undefined);
  }

  // -- actions (each returns a promise that resolves once the views show the result)
  /** Trace `text` (shown in the text box); `clamps` (given: normalised ones) replace the page's. */
  setText(text, { clamps } = {}) {
    text = String(text ?? "");
    if (clamps) this.clamps = clamps;
    if (this.views.w.text.value_input !== text) set(this.views.w.text, { value: text, value_input: text });
    return this.retrace(text);
  }

  /** Trace the text on screen with these clamps (normalised ones); if the trace fails the
   *  previous clamps stay. */
  setClamps(clamps) {
    const previous = this.clamps;
    this.clamps = clamps;
    return this.retrace(this.text).catch((err) => {
      this.clamps = previous; // e.g. a clamp pysim refuses (a unit that does not exist)
      throw err;
    });
  }

  retrace(text) {
    const seq = ++this.seq;
    if (!text.trim()) {
      const msg = t("msg.empty");
      showMessage(msg);
      return Promise.reject(Object.assign(new Error(msg), { user: true }));
    }
    this.wanted = text; // the text asked for last (Retry traces it again after a crash)
    if (!this.isReady && isPrepared(this, text)) return showPrepared(this, seq, text); // no Python needed
    if (!this.isReady) {
      if (this.queued) this.queued.done.reject(Object.assign(new Error("superseded by newer text"), { superseded: true }));
      const p = new Promise((resolve, reject) => { this.queued = { text, done: { resolve, reject } }; });
      this.bridge.need("typing"); // not started: no message (the status line or lazy.js says why)
      if (this.bridge.started) showMessage(t(this.bridge.failed ? "msg.queued_failed" : "msg.queued"));
      return p;
    }
    return this.bridge.call("trace", text, this.clamps).then(async (result) => {
      if (seq !== this.seq) throw Object.assign(new Error("superseded by newer text"), { superseded: true });
      this.show(result, text);
      if (this.trace.notice) showMessage(this.trace.notice);
      else hideMessage();
      hideError();
      await afterPaint();
    }, (err) => {
      if (seq === this.seq && !err.fatal) {
        if (err.user) showMessage(t("msg.user_error", { reason: err.message }));
        else showError(t("msg.trace_failed", { reason: err.message }), () => this.retrace(text));
      }
      throw err;
    });
  }

  /** Draw a worker's trace of `text` (the current model's); the opening text keeps its step. */
  show(result, text, from = traceFromWorker) {
    this.pause();
    const keep = this.trace.pending && text === this.text; // keep the opening's step
    [this.trace, this.text] = [from(result), text];
    this.t = keep ? Math.min(this.t, this.trace.T - 1) : this.trace.T - 1;
    this.unit = Math.min(this.unit, this.trace.H - 1);
    this.layer = Math.min(this.layer, this.trace.L - 1);
    this.redraw();
  }

  // The one way the page changes model (setPreset, a loaded file, training): the worker has made
  // model `info` current; trace `text` with it and only then show it everywhere at once: views,
  // Model menu, status line, article buttons, text box (`box`: what it holds, with `prompt` as
  // its placeholder) and so pysim.state(). If the trace fails the worker goes back to the model
  // on screen, and nothing on the page changes. Clamps naming a layer or unit the model lacks
  // are dropped (said in the message).
  // own: `text` is the model's own (a file's example, a new training run's text): setPreset
  // shows it again when the model comes back and cannot read the text on screen. shown(): what
  // the caller changes with them (e.g. a report), called in the same task.
  async adopt(info, text, { box = text, prompt = "", note = "", own = false, shown = null } = {}) {
    const seq = ++this.seq; // answers to earlier texts are of the old model: dropped
    const fits = (c) => c.layer < info.layers && (c.unit === null || c.unit < info.hidden);
    const clamps = this.clamps.filter(fits);
    let result;
    try {
      result = await this.bridge.call("trace", text, clamps);
    } catch (err) {
      if (!err.fatal && info.name !== this.preset) {
        await this.bridge.call("set_preset", this.preset).catch(() => {});
      }
      throw err;
    }
    const dropped = this.clamps.length - clamps.length;
    this.clamps = clamps;
    this.showModelInfo(info);
    if (own || !this.boot.presets[info.name]) this.boot.presets[info.name] = { text, prompt };
    this.boot.presets[info.name].info = info;
    set(this.views.w.text, { value: box, value_input: box, placeholder: prompt });
    if (seq === this.seq) this.wanted = text;
    this.show(result, text);
    if (shown) shown();
    const notes = [prompt && `${prompt}.`, note, this.trace.notice,
      dropped && t(dropped > 1 ? "msg.clamps_dropped" : "msg.clamps_dropped_one", { n: dropped })];
    if (notes.some(Boolean)) showMessage(notes.filter(Boolean).join(" "));
    else hideMessage();
    hideError();
    await afterPaint();
    return info;
  }

  async setPreset(name) {
    if (!this.boot.presets[name]) throw new Error(t("msg.unknown_preset", { name }));
    await this.bridge.need("model");
    const info = await this.bridge.call("set_preset", name).catch((err) => {
      const bytes = this.kept.get(name); // a model the page made, unknown to a restarted worker
      if (!bytes || err.fatal) throw err;
      return this.bridge.call("restore_model", bytes, name);
    });
    // the text on screen stays, unless it is the old model's own text; a model that cannot
    // read it (no unknown-word token) shows its own text instead
    const { text: own, prompt = "" } = this.boot.presets[name]; // prompt: see modelfile.js
    const ownView = (i) => this.adopt(i, own, prompt ? { box: "", prompt } : {});
    const wasDefault = this.text === this.boot.presets[this.preset].text;
    if (wasDefault || this.text === own) return ownView(info);
    return this.adopt(info, this.text).catch((err) => {
      if (err.fatal || !err.user) throw err;
      return this.bridge.call("set_preset", name).then(ownView);
    });
  }

  seek(t) {
    const T = this.trace.T;
    this.t = Math.max(0, Math.min(T - 1, Math.round(Number(t) || 0)));
    this.views.drawStep(this.t, T);
    // "step" listeners (the cell diagram re-lays out a Div: ~10-30 ms) run once per frame,
    // however many steps the frame saw; they have run by the time the returned promise resolves
    if (!this.stepFrame) {
      this.stepFrame = requestAnimationFrame(() => { this.stepFrame = 0; this.emit("step"); });
    }
    return afterPaint();
  }

  step(n = 1) { return this.seek(this.t + Number(n)); }

  play({ loop = false } = {}) {
    if (this.timer) return;
    if (this.t >= this.trace.T - 1) this.seek(0);
    const tick = () => {
      if (this.t >= this.trace.T - 1) {
        if (loop) { this.seek(0); return; }
        this.pause();
        return;
      }
      this.step(1);
    };
    this.timer = setInterval(tick, 1000 / this.speed());
    this.setPlayButton(true);
  }

  pause() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.setPlayButton(false);
  }

  speed() { return Math.max(0.5, Number(this.views.w.speed.value) || 2); }

  setPlayButton(on) {
    set(this.views.w.play, { active: on, label: t(on ? "widget.pause" : "widget.play") });
  }

  setUnit(u) {
    this.unit = Math.max(0, Math.min(this.trace.H - 1, Number(u) || 0));
    this.views.drawUnit(this.trace, this.layer, this.unit);
    set(this.views.w.unit, { value: String(this.unit) });
    this.emit("unit");
  }

  setLayer(l) {
    this.layer = Math.max(0, Math.min(this.trace.L - 1, Number(l) || 0));
    this.redraw();
    this.emit("unit");
  }

  state() {
    return { ...traceToJson(this.trace), t: this.t, unit: this.unit, layer: this.layer,
             preset: this.preset, text: this.text, ready: this.isReady,
             pending: Boolean(this.trace.pending), // the values are not computed yet (NaN)
             clamps: this.clamps.map((c) => ({ ...c })) };
  }
}
