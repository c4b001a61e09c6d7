// The benchmark page (copied into the built site as bench/ by benchmarks/run.py): starts
// bench-worker.js (passing on this page's query, e.g. ?wrap) and exposes window.bench = {ready, run(name, kwargs)} for run.py.
const worker = new Worker(new URL("bench-worker.js" + location.search, import.meta.url), { type: "module" });
const pending = new Map();
let nextId = 1;
let booted, failed;
const ready = new Promise((resolve, reject) => { booted = resolve; failed = reject; });
const status = (text) => { document.getElementById("bench-status").textContent = text; };

worker.onmessage = (ev) => {
  const msg = ev.data;
  if (msg.type === "ready") { status(`Pyodide + numpy + pysim ready in ${msg.ms.toFixed(0)} ms`); booted(msg); return; }
  if (msg.type === "fatal") { status(`failed: ${msg.error}`); failed(new Error(msg.error)); return; }
  const p = pending.get(msg.id);
  if (!p) return;
  pending.delete(msg.id);
  if (msg.ok) p.resolve(JSON.parse(msg.result));
  else p.reject(new Error(msg.error));
};
worker.onerror = (ev) => failed(new Error(ev.message || "the benchmark worker could not start"));

window.bench = {
  ready,
  // name: a function of benchmarks/pybench.py; kwargs: its keyword arguments (JSON-able)
  run: (name, kwargs = {}) => ready.then(() => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, name, kwargs: JSON.stringify(kwargs) });
  })),
};
