// pysim's Python worker: boots Pyodide + numpy + pysim, then answers trace requests.
// numpy results cross to the page as typed arrays whose buffers are transferred (no JSON).
//
// Messages in:  {id, cmd: "call", method, args}: calls pysim.api.Session().method(*args)
//               {id, cmd: "memory"}: {wasm: wasm heap bytes, objects: live Python objects}
// Messages out: {type: "progress", loaded, total, file} while loading,
//               {type: "ready", ms, info} once, {type: "fatal", error} if booting fails,
//               {id, ok: true, result} | {id, ok: false, error, user} per request.
// With "?floor" in its URL it only boots Pyodide + numpy (the benchmark floor) and says ready.
import { loadPyodide } from "./pyodide/pyodide.mjs";

const t0 = performance.now();
const FLOOR = self.location.search.includes("floor");
const base = new URL("./", self.location.href).href;

// ---- load progress: count the bytes of every response Pyodide fetches ----------------------
const progress = { loaded: 0, total: 0, file: "", last: 0 };
const realFetch = self.fetch.bind(self);
self.fetch = async (input, init) => {
  const url = String(input instanceof Request ? input.url : input);
  const file = url.split("/").pop();
  let resp;
  try {
    resp = await realFetch(input, init);
  } catch (err) { // a network error, or a file that fails its sha256 (Pyodide passes `integrity`)
    throw loadFailed(file, await diagnose(url, init, err));
  }
  if (!resp.ok) throw loadFailed(file, `HTTP ${resp.status} ${resp.statusText}`);
  if (!resp.body) return resp;
  if (file.endsWith(".wasm")) {
    // a Response built here would lose Chromium's compiled-wasm cache (repeat visits boot ~0.9 s
    // slower, benchmarks/README.md): pass the real one on and count the bytes of a clone
    const reader = resp.clone().body.getReader();
    (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        progress.loaded += value.byteLength;
        progress.file = file;
        report();
      }
    })().catch(() => {}); // the original response reports any failure
    return resp;
  }
  const counter = new TransformStream({
    transform(chunk, ctrl) {
      progress.loaded += chunk.byteLength;
      progress.file = file;
      report();
      ctrl.enqueue(chunk);
    },
  });
  return new Response(resp.body.pipeThrough(counter), {
    status: resp.status, statusText: resp.statusText, headers: resp.headers,
  });
};

// ---- load failures: reported at once, by file (Pyodide may only log them and never settle) ---
let fatalSent = false, booted = false;
function fatal(error) {
  if (fatalSent) return;
  fatalSent = true;
  self.postMessage({ type: "fatal", error });
}

function loadFailed(file, why) {
  const err = new Error(`could not load ${file}: ${why}`);
  if (!booted) fatal(err.message); // while booting: the page stops this worker and offers Retry
  return err;
}

async function diagnose(url, init, err) {
  if (!init || !init.integrity) return `network error (${err.message})`;
  try { // fetch it again without the check to tell a missing file from a damaged one
    const again = await realFetch(url, { cache: "no-store" });
    if (!again.ok) return `HTTP ${again.status} ${again.statusText}`;
    return "its sha256 does not match pyodide-lock.json (a damaged or altered file)";
  } catch (e) {
    return `network error (${err.message})`;
  }
}

// Pyodide only logs a wasm module that does not compile ("wasm instantiation failed!") and then
// waits forever: make that fatal too
const realInstantiateStreaming = WebAssembly.instantiateStreaming;
WebAssembly.instantiateStreaming = async (source, imports) => {
  const resp = await source; // a failed download is reported by self.fetch already
  try {
    return await realInstantiateStreaming.call(WebAssembly, resp, imports);
  } catch (err) {
    const file = (resp.url || "pyodide.asm.wasm").split("/").pop();
    fatal(`could not load ${file}: it is not valid WebAssembly (${err.message}); a damaged or altered file`);
    throw err;
  }
};

function report(force = false) {
  const now = performance.now();
  if (!force && now - progress.last < 100) return;
  progress.last = now;
  self.postMessage({ type: "progress", loaded: progress.loaded, total: progress.total, file: progress.file });
}

// ---- boot ------------------------------------------------------------------------------------
async function boot() {
  try {
    const manifest = await (await realFetch(base + "manifest.json")).json();
    progress.total = expectedBytes(manifest);
  } catch (e) {
    progress.total = 0; // progress then shows bytes without a total
  }
  const pyodide = await loadPyodide({ indexURL: base + "pyodide/", fullStdLib: false });
  await pyodide.loadPackage(FLOOR ? ["numpy"] : ["numpy", "pysim"], { messageCallback: () => {} });
  if (FLOOR) {
    pyodide.runPython("import numpy");
    return { pyodide, session: null };
  }
  const session = pyodide.runPython("import pysim.api\npysim.api.Session()");
  return { pyodide, session };
}

function expectedBytes(manifest) {
  // what Pyodide fetches itself (pyodide.asm.js arrives through import, not fetch)
  const wanted = (p) => p.startsWith("pyodide/") && !p.endsWith(".mjs") && !p.endsWith("asm.js")
    && !p.endsWith("pyodide-lock.json") && (!FLOOR || !p.includes("pysim"));
  return Object.entries(manifest.files).filter(([p]) => wanted(p))
    .reduce((s, [, f]) => s + f.bytes, 0);
}

// ---- Python -> JS --------------------------------------------------------------------------
const TYPED = { f8: Float64Array, u1: Uint8Array, i8: BigInt64Array, f4: Float32Array, b: Uint8Array };

function toJs(proxy) {
  // a dict of numpy arrays / lists / scalars -> {key: TypedArray | value}, plus transfer list
  const out = {};
  const transfer = [];
  for (const key of proxy) {
    const v = proxy.get(key);
    if (v !== null && typeof v === "object" && v.type === "numpy.ndarray") {
      const buf = v.getBuffer();
      try {
        const copy = buf.data.slice(); // own the memory; the wasm heap may move
        out[key] = copy;
        transfer.push(copy.buffer);
      } finally {
        buf.release();
        v.destroy();
      }
    } else if (v !== null && typeof v === "object" && typeof v.toJs === "function") {
      out[key] = v.toJs({ dict_converter: Object.fromEntries });
      v.destroy();
    } else {
      out[key] = v;
    }
  }
  proxy.destroy();
  return { out, transfer };
}

function errorText(err) {
  // PythonError messages carry the traceback; the user needs its last line
  const msg = String(err && err.message ? err.message : err).trim();
  const last = msg.split("\n").filter((l) => l.trim()).pop() || msg;
  const m = last.match(/^(\w+(?:\.\w+)*(?:Error|Exception)): ([\s\S]*)$/);
  if (m && /ValueError|ModelFileError/.test(m[1])) return { error: m[2], user: true };
  return { error: last, user: false };
}

// ---- requests ----------------------------------------------------------------------------
const booting = boot();
booting.then(({ session }) => {
  booted = true;
  const info = session ? toJs(session.info()).out : null;
  self.postMessage({ type: "ready", ms: performance.now() - t0, info, loaded: progress.loaded });
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

function fromPython(res) {
  // a dict -> {key: TypedArray | value}; bytes -> Uint8Array; anything else as is
  if (res === null || typeof res !== "object" || typeof res.toJs !== "function") return { out: res, transfer: [] };
  if (res.type === "dict") return toJs(res);
  const out = res.toJs({ dict_converter: Object.fromEntries });
  res.destroy();
  return { out, transfer: ArrayBuffer.isView(out) ? [out.buffer] : [] };
}
