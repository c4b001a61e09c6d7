// Who the worker talks to. A dedicated Worker talks to its one page (self); a SharedWorker (web/
// start.js: embeds of one site on one page share one Python) to every page connected to it, each
// through its own MessagePort. broadcast() sends the boot's messages (progress, fatal) to every
// page, and keeps the latest of each for pages that connect later. WORKER_ID names this Python,
// so that pages (and tests) can tell whether they share one.

export const SHARED = typeof SharedWorkerGlobalScope !== "undefined" && self instanceof SharedWorkerGlobalScope;
export const WORKER_ID = Math.random().toString(36).slice(2, 10);
export const ports = new Set(); // the connected pages' ports (dedicated: just self)
const latest = new Map(); // message type -> the last broadcast of that type

export function broadcast(msg) {
  latest.set(msg.type, msg);
  for (const port of ports) port.postMessage(msg);
}

/** A page connected: it hears the boot's latest news at once. */
export function connect(port) {
  ports.add(port);
  for (const type of ["progress", "fatal"]) if (latest.has(type)) port.postMessage(latest.get(type));
}

export function disconnect(port) {
  ports.delete(port);
}

if (!SHARED) ports.add(self);
