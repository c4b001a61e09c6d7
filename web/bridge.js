// The page's side of the Python worker (web/worker.js): requests with ids, answers as promises,
// load progress, ready and crashes passed to the handlers {progress, ready, fatal, need}.
// The worker is a dedicated Worker or this page's port on a SharedWorker that several embeds
// share (web/start.js decides); the messages are the same.
// Python starts when start() is called (web/start.js may have started it already). Until then,
// need(reason) and any request ask for it through handlers.need(reason) (the controller starts
// it or asks the reader), and requests wait for the worker. `ready` resolves once Python is
// ready and never starts anything itself.
// A started worker downloads Python at once but boots it only once this page calls go() (app.js:
// once its views in sight are built): the boot would take the CPU they are built with (worker.js).
// With `&python=now` (start.js launch.bootAtOnce) it boots at once.
// A crash (the worker's `error` event, or its "fatal" message while booting) rejects every
// pending request with `fatal: true`; restart() starts a new worker.

import { t } from "./i18n.js";
import { pythonMessage } from "./pymsg.js";
import { launch, makeWorker, takeWorker } from "./start.js";

// what a request needs Python for, by method (the reader is told, web/lazy.js)
const REASONS = { trace: "typing", set_preset: "model", load_model: "file", restore_model: "model",
                  gradient_flow: "gradflow", export_model: "export", wire: "wire",
                  contrast: "contrast", patch: "contrast", ablate: "contrast", flip: "contrast",
                  corpus: "contrast", corpus_select: "contrast" };
const reasonOf = (method) => REASONS[method] || (/^train_/.test(method) ? "training" : "other");

export class Bridge {
  constructor(handlers) {
    this.handlers = handlers;
    this.pending = new Map();
    this.nextId = 1;
    this.started = false;
    this.restarts = 0;
    this.waiting = []; // requests made before the worker exists: sent once it does
    this.going = new Promise((resolve) => { this.go = resolve; }); // go(): Python may boot
    if (launch.bootAtOnce) this.go();
    this.newReady();
    const early = takeWorker(); // the worker start.js started while parsing, if it did
    if (early) this.start(early);
    // a page that goes (not into the back/forward cache): a shared Python forgets its Session
    addEventListener("pagehide", (ev) => { if (!ev.persisted) this.close(); });
  }

  newReady() {
    this.ready = new Promise((resolve, reject) => { this._ready = resolve; this._fail = reject; });
    this.ready.catch(() => {}); // reported through handlers.fatal
  }

  /** Start Python (once; a restart is restart()). `early`: a worker start.js started. */
  start(early = null) {
    if (this.started) return this.ready;
    this.started = true;
    this.failed = null;
    const w = early || makeWorker(this.restarts);
    this.kind = w.kind;
    this.worker = w.worker;
    this.port = w.port;
    this.port.onmessage = (ev) => this.receive(ev.data);
    this.worker.onerror = (ev) => {
      ev.preventDefault();
      this.crash(t("msg.worker_stopped", { reason: ev.message || t("msg.worker_missing") }));
    };
    if (this.kind === "shared") this.port.start();
    const port = this.port; // (this worker's: a restart makes another, which is told too)
    this.going.then(() => port.postMessage({ cmd: "go" }));
    for (const ev of early ? early.early : []) {
      if (this.failed) break;
      if (ev.type === "error") this.worker.onerror(ev);
      else this.port.onmessage(ev);
    }
    const waiting = this.waiting;
    this.waiting = [];
    for (const msg of waiting) this.post(msg);
    return this.ready;
  }

  /** Python is needed (for `reason`): ask for it if it has not started; resolves once ready. */
  need(reason = "other") {
    if (!this.started) this.handlers.need(reason);
    return this.ready;
  }

  receive(msg) {
    if (msg.type === "progress") return this.handlers.progress(msg);
    if (msg.type === "ready") { this._ready(msg); return this.handlers.ready(msg); }
    if (msg.type === "fatal") return this.crash(t("msg.python_failed", { reason: msg.error }));
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(Object.assign(new Error(msg.user ? pythonMessage(msg.error) : msg.error), { user: msg.user }));
  }

  crash(reason) {
    this.failed = reason;
    this._fail(new Error(reason));
    for (const p of this.pending.values()) p.reject(Object.assign(new Error(reason), { fatal: true }));
    this.pending.clear();
    this.stop();
    this.handlers.fatal(reason);
  }

  /** Stop talking to the worker: a dedicated one ends; a shared one drops this page's Session. */
  stop() {
    if (this.kind === "shared") this.close();
    else if (this.worker) this.worker.terminate();
  }

  close() {
    if (this.kind !== "shared" || !this.port) return;
    try { this.port.postMessage({ cmd: "close" }); } catch { /* already closed */ }
    this.port.close();
  }

  post(msg) {
    if (this.started) this.port.postMessage(msg);
    else this.waiting.push(msg);
  }

  request(cmd, payload) {
    if (this.failed) return Promise.reject(Object.assign(new Error(this.failed), { fatal: true }));
    if (!this.started) this.handlers.need(reasonOf(payload && payload.method));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ id, cmd, ...payload });
    });
  }

  restart() {
    this.restarts += 1;
    if (this.started) this.stop();
    this.started = false;
    this.newReady();
    this.start();
  }

  /** Call a method of the worker's pysim.api.Session; resolves with its (converted) result. */
  call(method, ...args) {
    return this.request("call", { method, args });
  }
}
