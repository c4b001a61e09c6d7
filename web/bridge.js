// The page's side of the Python worker (web/worker.js): requests with ids, answers as promises,
// load progress, ready and crashes passed to the handlers {progress, ready, fatal}.
// A crash (the worker's `error` event, or its "fatal" message while booting) rejects every
// pending request with `fatal: true`; restart() starts a new worker.

import { t } from "./i18n.js";
import { pythonMessage } from "./pymsg.js";
import { takeWorker } from "./start.js";

export class Bridge {
  constructor(handlers) {
    this.handlers = handlers;
    this.pending = new Map();
    this.nextId = 1;
    this.start();
  }

  start() {
    this.failed = null;
    const early = takeWorker(); // the first start: the worker start.js started while parsing
    this.worker = early ? early.worker : new Worker(new URL("worker.js", import.meta.url), { type: "module" });
    this.ready = new Promise((resolve, reject) => { this._ready = resolve; this._fail = reject; });
    this.ready.catch(() => {}); // reported through handlers.fatal
    this.worker.onmessage = (ev) => this.receive(ev.data);
    this.worker.onerror = (ev) => {
      ev.preventDefault();
      this.crash(t("msg.worker_stopped", { reason: ev.message || t("msg.worker_missing") }));
    };
    for (const ev of early ? early.early : []) {
      if (this.failed) break;
      if (ev.type === "error") this.worker.onerror(ev);
      else this.worker.onmessage(ev);
    }
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
    this.worker.terminate();
    this.handlers.fatal(reason);
  }

  request(cmd, payload) {
    if (this.failed) return Promise.reject(Object.assign(new Error(this.failed), { fatal: true }));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, cmd, ...payload });
    });
  }

  restart() {
    this.worker.terminate();
    this.start();
  }

  /** Call a method of the worker's pysim.api.Session; resolves with its (converted) result. */
  call(method, ...args) {
    return this.request("call", { method, args });
  }
}
