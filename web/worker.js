// pysim's Python worker: boots Pyodide + numpy + pysim, then answers trace requests.
// numpy results cross to the page as typed arrays whose buffers are transferred (no JSON).
//
// Messages in:  {id, cmd: "call", method, args}: calls pysim.api.Session().method(*args)
//               {id, cmd: "memory"}: {wasm: wasm heap bytes, objects: live Python objects}
// Messages out: {type: "progress", loaded, total, file} while loading,
//               {type: "ready", ms, info, boot, phases} once, {type: "fatal", error} if booting
//               fails, {id, ok: true, result} | {id, ok: false, error, user} per request.
// With "?floor" in its URL it only boots Pyodide + numpy (the benchmark floor) and says ready.
//
// Two ways to boot (`boot` in the ready message):
// - "fresh": Pyodide boots, installs the numpy and pysim wheels, imports pysim.api. Right after
//   saying ready, the worker keeps a memory snapshot of that state in IndexedDB (worker/snapshot.js).
// - "snapshot": a later visit of the same build restores that snapshot instead: Python's memory
//   with numpy and pysim already imported, numpy's shared libraries loaded again at the same
//   addresses, and site-packages unpacked from the same two wheels. Any failure falls back to a
//   fresh boot. The floor never uses snapshots.
//
// The parts (web/worker/): env.js (base URL, floor mode, phase timings), fetch.js (downloads
// with progress, load failures), boot.js (fresh and snapshot boots), snapshot.js (the memory
// snapshot, with Pyodide internals), unzip.js (wheels), convert.js (Python -> JS, errors).
// This module answers the page's messages. build_bundle.py makes it and its parts one file,
// dist/worker.js (Pyodide's own files stay apart: boot.js imports them by URL).
import { boot } from "./worker/boot.js";
import { errorText, fromPython, toJs } from "./worker/convert.js";
import { phase, phases, t0 } from "./worker/env.js";
import { fatal, progress, setBooted } from "./worker/fetch.js";

// ---- requests ----------------------------------------------------------------------------
const booting = boot();
booting.then(({ session, boot: how, afterReady }) => {
  setBooted();
  const info = session ? toJs(session.info()).out : null;
  phase("ready");
  self.postMessage({ type: "ready", ms: performance.now() - t0, info, loaded: progress.loaded, boot: how, phases });
  // before any request can change Python's state (requests run in later tasks)
  if (afterReady) afterReady();
}, (err) => {
  // a Python traceback: its last "...Error: ..." line says it
  const msg = String(err && err.message ? err.message : err).trim();
  const lines = msg.split("\n").filter((l) => /^\w+(\.\w+)*(Error|Exception): /.test(l));
  fatal(lines.length ? lines[lines.length - 1] : msg);
});

self.onmessage = async (ev) => {
  const { id, cmd } = ev.data;
  let pyodide, session;
  try {
    ({ pyodide, session } = await booting);
  } catch (err) {
    self.postMessage({ id, ok: false, error: "Python did not start: " + String(err.message || err), user: false });
    return;
  }
  try {
    if (cmd === "memory") { // the soak test: wasm heap bytes and live Python objects
      const objects = pyodide.runPython("import gc; gc.collect(); len(gc.get_objects())");
      self.postMessage({ id, ok: true, result: { wasm: pyodide._module.HEAP8.length, objects } });
      return;
    }
    if (cmd !== "call" || !/^[a-z][a-z_]*$/.test(ev.data.method) || !session[ev.data.method]) {
      throw new Error(`unknown command ${cmd} ${ev.data.method || ""}`);
    }
    const t = performance.now();
    const args = (ev.data.args || []).map((a) => (a !== null && typeof a === "object" ? pyodide.toPy(a) : a));
    let res;
    try {
      res = session[ev.data.method](...args);
    } finally {
      for (const a of args) if (a && typeof a.destroy === "function") a.destroy();
    }
    const { out, transfer } = fromPython(res);
    if (out && typeof out === "object" && !ArrayBuffer.isView(out)) out.ms = performance.now() - t;
    self.postMessage({ id, ok: true, result: out }, transfer);
  } catch (err) {
    self.postMessage({ id, ok: false, ...errorText(err) });
  }
};
