// pysim's Python worker: boots Pyodide + numpy + pysim, then answers trace requests.
// numpy results cross to the page as typed arrays whose buffers are transferred (no JSON).
//
// It runs as a dedicated Worker (one page) or as a SharedWorker (web/start.js: the embeds of one
// site on one page share one Python; worker/ports.js). Each page has its own pysim.api.Session
// (model, text, clamps, training), keyed by its port: the first page takes the Session made while
// booting (the one a memory snapshot keeps), every later one gets a new Session. A page that
// closes ({cmd: "close"}, sent on pagehide) drops its Session; the others keep running.
//
// Messages in:  {cmd: "go"}: Python may take the CPU now (see "When it boots" below)
//               {id, cmd: "call", method, args}: calls this page's Session().method(*args)
//               {id, cmd: "memory"}: {wasm: wasm heap bytes, objects: live Python objects}
//               {cmd: "close"}: this page is gone (a shared worker only)
// Messages out: {type: "progress", loaded, total, file} while loading (to every page),
//               {type: "ready", ms, info, boot, phases, shared, worker, pages} once per page,
//               {type: "fatal", error} if booting fails (to every page; a shared worker then
//               closes once every page has closed its port; a restarted page asks for a new
//               shared worker by another name, web/start.js),
//               {id, ok: true, result} | {id, ok: false, error, user} per request.
// With "?floor" in its URL it only boots Pyodide + numpy (the benchmark floor) and says ready.
//
// When it boots: its downloads start at once, but the work that takes the CPU (Pyodide's wasm
// compiled, ~2.5 s of CPU on V8's background threads here; then installing or restoring) waits
// for a page's {cmd: "go"}: web/bridge.js sends it once the page's views in sight are built. On
// this project's 2-CPU machine the two together made BokehJS's builds twice as slow: blocking
// time until Python was ready, cold, `benchmarks/ab.py`, 6 runs: ?embed 703 ms with both at once
// (`&python=now`, which still boots at once), 260 ms with the boot after the views; the page
// 651 -> 211 ms; Python ready ~0.1 s later. The floor ("?floor") boots at once.
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
import { FLOOR, phase, phases, t0 } from "./worker/env.js";
import { fatal, progress, setBooted } from "./worker/fetch.js";
import { SHARED, WORKER_ID, connect, disconnect, ports } from "./worker/ports.js";

// ---- pages and their Sessions -------------------------------------------------------------
let go = null;
const booting = boot(FLOOR ? Promise.resolve() : new Promise((resolve) => { go = resolve; }));
const sessions = new Map(); // port -> its pysim.api.Session (a PyProxy)
let booted = null; // {pyodide, session, boot} once Python is up
let firstTaken = false;
let failed = false; // the boot failed: once every page has gone, a shared worker closes

function sessionOf(port) {
  if (!sessions.has(port) && booted.session) {
    if (!firstTaken) {
      firstTaken = true;
      sessions.set(port, booted.session);
    } else {
      sessions.set(port, booted.pyodide.runPython("import pysim.api\npysim.api.Session()"));
    }
  }
  return sessions.get(port);
}

function sayReady(port) {
  const session = sessionOf(port);
  const info = session ? toJs(session.info()).out : null;
  port.postMessage({ type: "ready", ms: performance.now() - t0, info, loaded: progress.loaded, boot: booted.boot,
                     phases, shared: SHARED, worker: WORKER_ID, pages: ports.size });
}

booting.then(({ pyodide, session, boot: how, afterReady }) => {
  setBooted();
  booted = { pyodide, session, boot: how };
  phase("ready");
  for (const port of ports) sayReady(port);
  // before any request can change Python's state (requests run in later tasks)
  if (afterReady) afterReady();
}, (err) => {
  // a Python traceback: its last "...Error: ..." line says it
  const msg = String(err && err.message ? err.message : err).trim();
  const lines = msg.split("\n").filter((l) => /^\w+(\.\w+)*(Error|Exception): /.test(l));
  fatal(lines.length ? lines[lines.length - 1] : msg);
  failed = true;
});

function closePage(port) {
  disconnect(port);
  const session = sessions.get(port);
  sessions.delete(port);
  if (session && session !== booted.session) session.destroy();
  if (SHARED && failed && !ports.size) self.close();
}

// ---- requests ----------------------------------------------------------------------------
async function answer(port, data) {
  const { id, cmd } = data;
  if (cmd === "close") return closePage(port);
  if (cmd === "go") return go && go(); // (the first page's go: a shared Python boots once)
  let pyodide;
  try {
    ({ pyodide } = await booting);
  } catch (err) {
    port.postMessage({ id, ok: false, error: "Python did not start: " + String(err.message || err), user: false });
    return;
  }
  try {
    if (cmd === "memory") { // the soak test: wasm heap bytes and live Python objects
      const objects = pyodide.runPython("import gc; gc.collect(); len(gc.get_objects())");
      port.postMessage({ id, ok: true, result: { wasm: pyodide._module.HEAP8.length, objects } });
      return;
    }
    const session = sessionOf(port);
    if (cmd !== "call" || !/^[a-z][a-z_]*$/.test(data.method) || !session[data.method]) {
      throw new Error(`unknown command ${cmd} ${data.method || ""}`);
    }
    const t = performance.now();
    const args = (data.args || []).map((a) => (a !== null && typeof a === "object" ? pyodide.toPy(a) : a));
    let res;
    try {
      res = session[data.method](...args);
    } finally {
      for (const a of args) if (a && typeof a.destroy === "function") a.destroy();
    }
    const { out, transfer } = fromPython(res);
    if (out && typeof out === "object" && !ArrayBuffer.isView(out)) out.ms = performance.now() - t;
    port.postMessage({ id, ok: true, result: out }, transfer);
  } catch (err) {
    port.postMessage({ id, ok: false, ...errorText(err) });
  }
}

if (SHARED) {
  self.onconnect = (ev) => {
    const port = ev.ports[0];
    connect(port);
    port.onmessage = (msg) => answer(port, msg.data);
    port.start();
    if (booted) sayReady(port);
  };
} else {
  self.onmessage = (ev) => answer(self, ev.data);
}
