// Starts pysim's Python worker (web/worker.js) as early as the page allows: index.html runs this
// small module `async`, while the page is still being parsed, instead of after app.js and its
// modules have loaded (~0.3 s later). app.js takes the worker over with everything it has said.
const worker = new Worker(new URL("worker.js", import.meta.url), { type: "module" });
const early = []; // what the worker said before app.js listened: replayed to it
worker.onmessage = (ev) => early.push(ev);
worker.onerror = (ev) => { ev.preventDefault(); early.push(ev); };
let taken = false;

/** The worker started here and its events so far, once; null afterwards (a restart makes its own). */
export function takeWorker() {
  if (taken) return null;
  taken = true;
  return { worker, early };
}
