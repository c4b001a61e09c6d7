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
//   saying ready, the worker keeps a memory snapshot of that state in IndexedDB (see snapshot.*).
// - "snapshot": a later visit of the same build restores that snapshot instead: Python's memory
//   with numpy and pysim already imported, numpy's shared libraries loaded again at the same
//   addresses, and site-packages unpacked from the same two wheels. Any failure falls back to a
//   fresh boot. The floor never uses snapshots.
import { loadPyodide } from "./pyodide/pyodide.mjs";

const t0 = performance.now();
const FLOOR = self.location.search.includes("floor");
const base = new URL("./", self.location.href).href;
const PYODIDE = base + "pyodide/";
const PACKAGES = FLOOR ? ["numpy"] : ["numpy", "pysim"];
const phases = {}; // boot step -> ms since the worker started (sent with "ready")
const phase = (name) => { phases[name] = Math.round(performance.now() - t0); };

// ---- load progress: count the bytes of every response Pyodide fetches ----------------------
const progress = { loaded: 0, total: 0, file: "", last: 0 };
const realFetch = self.fetch.bind(self);
const early = new Map(); // url -> Promise<Response>: fetches started before Pyodide asks for them
const requested = new Set(); // every url fetched so far (none is prefetched twice)
self.fetch = (input, init) => {
  const url = String(input instanceof Request ? input.url : input);
  const started = early.get(url);
  early.delete(url);
  requested.add(url);
  return started || fetchFile(url, init);
};

async function fetchFile(url, init) {
  const file = url.split("/").pop();
  let resp;
  try {
    resp = await realFetch(url, init);
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
        count(file, value.byteLength);
      }
    })().catch(() => {}); // the original response reports any failure
    return resp;
  }
  const counter = new TransformStream({
    transform(chunk, ctrl) {
      count(file, chunk.byteLength);
      ctrl.enqueue(chunk);
    },
  }, undefined, { highWaterMark: Infinity }); // no backpressure: a prefetch downloads it all
  return new Response(resp.body.pipeThrough(counter), {
    status: resp.status, statusText: resp.statusText, headers: resp.headers,
  });
}

function count(file, bytes) {
  progress.loaded += bytes;
  progress.file = file;
  report();
}

// Start a download now; Pyodide (or the snapshot) takes it when it asks for the same url.
function prefetch(url, init) {
  if (requested.has(url)) return; // too late: it is on its way already
  requested.add(url);
  const p = fetchFile(url, init);
  p.catch(() => {}); // reported by fetchFile; whoever takes it sees the error again
  early.set(url, p);
}

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
  // everything that does not depend on anything else starts at once
  const asmjs = import("./pyodide/pyodide.asm.js").then(() => { // loadPyodide skips its own import
    hookFactory();
    phase("pyodide.asm.js");
  });
  const manifest = realFetch(base + "manifest.json").then((r) => (r.ok ? r.arrayBuffer() : null)).catch(() => null);
  const build = manifest.then((bytes) => (bytes && !FLOOR ? buildId(bytes) : null));
  const stored = snapshot.read(); // in parallel: it is checked against the build below
  const lockUrl = PYODIDE + "pyodide-lock.json";
  for (const file of ["pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"]) prefetch(PYODIDE + file);
  const lock = early.get(lockUrl).then((r) => r.clone().json());
  lock.then((l) => { // the wheels download while Pyodide boots
    for (const name of PACKAGES) prefetch(PYODIDE + l.packages[name].file_name, { integrity: sri(l.packages[name].sha256) });
  }).catch(() => {}); // a missing lock is reported when Pyodide asks for it
  const bytes = await manifest;
  progress.total = bytes ? expectedBytes(JSON.parse(new TextDecoder().decode(bytes))) : 0;
  const saved = await stored;
  if (saved && saved.build === await build) {
    try {
      return { ...await restore(saved, await lock, asmjs), boot: "snapshot" };
    } catch (err) { // a snapshot that does not fit: forget it, boot as usual
      console.warn("pysim: the saved Python snapshot could not be used, booting afresh:", err.message);
      snapshot.forget(); // (and Pyodide fetches again what the restore took)
    }
  }
  await asmjs;
  return { ...await fresh(await build), boot: "fresh" };
}

async function fresh(build) {
  // the state a snapshot needs is recorded along the way (`build`: snapshots are possible)
  const rec = build && snapshot.supported ? snapshot.recorder() : null;
  if (rec) hooks.preRun = rec.preRun;
  const pyodide = await loadPyodide({ indexURL: PYODIDE, fullStdLib: false, _makeSnapshot: Boolean(rec) });
  phase("loadPyodide");
  await pyodide.loadPackage(PACKAGES, { messageCallback: () => {} });
  phase("loadPackage");
  if (FLOOR) {
    pyodide.runPython("import numpy");
    phase("import");
    return { pyodide, session: null };
  }
  // the Session is kept in __main__ so that a snapshot brings it back too
  const session = pyodide.runPython("import pysim.api\n_pysim_session = pysim.api.Session()\n_pysim_session");
  phase("import");
  return { pyodide, session, afterReady: rec && (() => rec.save(pyodide, build)) };
}

async function restore(saved, lock, asmjs) {
  // site-packages comes from the same wheels, unpacked here while Pyodide starts
  const files = Promise.all(PACKAGES.map(async (name) => {
    const { file_name: file, sha256 } = lock.packages[name];
    const resp = await self.fetch(PYODIDE + file, { integrity: sri(sha256) });
    return unzip(await resp.arrayBuffer());
  })).then((lists) => { phase("wheels"); return new Map(lists.flat()); });
  files.catch(() => {}); // a failed download is reported by fetchFile already
  await asmjs;
  // Pyodide sizes the wasm memory from this and restores it later: the pages are filled in
  // (fsInit) while the memory's contents are still being read from disk
  const memory = new Uint8Array(saved.meta.length);
  let unpacked = null, failed = null;
  const sitePackages = "/lib/python3.12/site-packages/";
  hooks.beforeRestore = (Module) => {
    phase("runtime");
    if (!unpacked) throw failed || new Error("site-packages is missing");
    snapshot.loadDynlibs(Module, saved.meta, sitePackages, unpacked);
  };
  const pyodide = await loadPyodide({
    indexURL: PYODIDE, fullStdLib: false, _loadSnapshot: memory,
    fsInit: async (FS) => { // before the runtime starts; Pyodide waits for it
      phase("fsInit");
      try {
        await snapshot.fill(memory, saved);
        await saved.checked;
        phase("memory");
        for (const [path, data] of await files) {
          const full = sitePackages + path;
          FS.mkdirTree(full.slice(0, full.lastIndexOf("/")));
          FS.writeFile(full, data);
        }
        unpacked = await files;
        phase("site-packages");
      } catch (err) {
        failed = err; // reported by beforeRestore (Pyodide would not see it here)
      }
    },
  });
  phase("loadPyodide");
  // Pyodide keeps its options: let the ~140 MB of snapshot, heap and files go
  Object.assign(pyodide._api.config, { _loadSnapshot: null, fsInit: null });
  Object.assign(pyodide.loadedPackages, saved.meta.loadedPackages);
  const session = pyodide.globals.get("_pysim_session");
  if (!session || session.type !== "Session") throw new Error("the snapshot has no pysim Session");
  phase("import");
  return { pyodide, session };
}

function expectedBytes(manifest) {
  // what Pyodide fetches itself (pyodide.asm.js arrives through import, not fetch)
  const wanted = (p) => p.startsWith("pyodide/") && !p.endsWith(".mjs") && !p.endsWith("asm.js")
    && !p.endsWith("pyodide-lock.json") && (!FLOOR || !p.includes("pysim"));
  return Object.entries(manifest.files).filter(([p]) => wanted(p))
    .reduce((s, [, f]) => s + f.bytes, 0);
}

const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
const sri = (sha256hex) => "sha256-" + btoa(String.fromCharCode(...sha256hex.match(/../g).map((h) => parseInt(h, 16))));
// the build id of sw.js (web/offline.py): the start of manifest.json's sha256
const buildId = async (manifestBytes) => hex(await crypto.subtle.digest("SHA-256", manifestBytes)).slice(0, 16);

// ---- hooks into Pyodide's module factory ------------------------------------------------------
// loadPyodide() calls the global _createPyodideModule (defined by pyodide.asm.js) with the
// Emscripten settings: wrapping it gives the snapshot code the Emscripten Module (preRun) and a
// step between "runtime initialized" and "memory restored" (API.restoreSnapshot).
const hooks = { preRun: null, beforeRestore: null };
let hooked = false;
function hookFactory() {
  if (hooked) return;
  hooked = true;
  const create = globalThis._createPyodideModule;
  globalThis._createPyodideModule = (settings) => {
    const { preRun, beforeRestore } = hooks;
    hooks.preRun = hooks.beforeRestore = null; // one loadPyodide() each
    let Module = null;
    settings.preRun.push((M) => { Module = M; if (preRun) preRun(M); });
    if (beforeRestore) {
      let restoreSnapshot, before = beforeRestore;
      Object.defineProperty(settings.API, "restoreSnapshot", {
        configurable: true,
        set(f) { restoreSnapshot = f; }, // pyodide.asm.js defines it while it starts
        get() {
          return restoreSnapshot && ((bytes) => {
            const hook = before;
            before = null; // once; and what it holds (the snapshot's files) can go
            if (hook) hook(Module);
            return restoreSnapshot(bytes);
          });
        },
      });
    }
    return create(settings);
  };
}

// ---- memory snapshots -----------------------------------------------------------------------
// Pyodide 0.27.7 can snapshot and restore the wasm memory (loadPyodide's _makeSnapshot and
// _loadSnapshot options, pyodide.makeMemorySnapshot()), but knows nothing of shared libraries:
// numpy's 19 .so files live outside the memory (their code, their function-table slots). So the
// snapshot also records, for each library in load order, the memory and table addresses it got;
// a restore loads each again at those addresses (Emscripten's dlopen-handle path reuses given
// addresses) before the memory comes back, and checks that the function table grew exactly as
// it did. One snapshot is stored (IndexedDB), with the build id of sw.js (another build boots
// afresh and replaces it) and a sha256 (a damaged one is not used). Memory pages that are all
// zero (3/4 of ~100 MB) are not stored: ~28 MB.
const snapshot = {
  supported: typeof indexedDB !== "undefined" && !FLOOR,
  PAGE: 65536,

  db(mode, fn) {
    return new Promise((resolve, reject) => {
      const open = indexedDB.open("pysim-snapshot", 1);
      open.onupgradeneeded = () => open.result.createObjectStore("snapshots");
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const tx = db.transaction("snapshots", mode);
        const req = fn(tx.objectStore("snapshots"));
        tx.oncomplete = () => { db.close(); resolve(req.result); };
        tx.onerror = tx.onabort = () => { db.close(); reject(tx.error); };
      };
    });
  },

  // the one stored snapshot (of whichever build saved it last), or null
  async read() {
    if (!this.supported) return null;
    try {
      const saved = await this.db("readonly", (s) => s.get("current"));
      if (!saved || saved.version !== 1) return null;
      saved.heap = saved.data.arrayBuffer(); // read from disk meanwhile
      // checked against the sha256 taken when it was saved, meanwhile too (WebCrypto's thread)
      saved.checked = saved.heap.then(async (heap) => {
        if (saved.sum !== await this.sum(saved.meta, heap)) throw new Error("the snapshot is damaged");
      });
      saved.heap.catch(() => {});
      saved.checked.catch(() => {});
      return saved;
    } catch {
      return null; // no IndexedDB (e.g. a private window): boot afresh
    }
  },

  forget() {
    this.db("readwrite", (s) => s.delete("current")).catch(() => {});
  },

  async sum(meta, heap) {
    const sha = async (bytes) => hex(await crypto.subtle.digest("SHA-256", bytes));
    return (await sha(new TextEncoder().encode(JSON.stringify(meta)))) + (await sha(heap));
  },

  // the snapshot bytes Pyodide expects (zeros), filled with the stored non-zero pages
  async fill(bytes, { meta, heap }) {
    const data = new Uint8Array(await heap);
    if (data.length !== meta.pages.length * this.PAGE) throw new Error("the snapshot is incomplete");
    meta.pages.forEach((page, k) => {
      const at = page * this.PAGE, n = Math.min(this.PAGE, bytes.length - at); // the last page is short
      bytes.set(data.subarray(k * this.PAGE, k * this.PAGE + n), at);
    });
    return bytes;
  },

  // records what a snapshot needs during a fresh boot
  recorder() {
    const loads = [];
    let Module = null, current = null;
    const realInstantiate = WebAssembly.instantiate;
    return {
      preRun(M) {
        Module = M;
        // Pyodide loads each package's libraries one at a time through Module.loadDynamicLibrary;
        // Emscripten then instantiates the library with imports that carry its addresses
        const load = M.loadDynamicLibrary;
        M.loadDynamicLibrary = function (path, ...rest) {
          current = { path, memoryBase: null, tableBase: null, instances: 0 };
          loads.push(current);
          const done = () => { current.tableEnd = M.wasmTable.length; current = null; };
          const res = load.call(this, path, ...rest);
          if (res && res.then) return res.then((v) => { done(); return v; });
          done();
          return res;
        };
        WebAssembly.instantiate = function (source, imports) {
          if (current && imports && imports.env) {
            current.instances += 1;
            current.memoryBase = imports.env.__memory_base;
            current.tableBase = imports.env.__table_base;
          }
          return realInstantiate.apply(this, arguments);
        };
      },
      save(pyodide, build) {
        WebAssembly.instantiate = realInstantiate;
        // one instance per load: a library that loaded others would need more bookkeeping
        if (!Module || loads.some((l) => l.instances !== 1 || l.tableEnd === undefined)) return;
        const handles = {}; // dlopen handles (addresses in the memory) -> library
        for (const [h, dso] of Object.entries(Module.LDSO.loadedLibsByHandle)) {
          if (+h) (handles[dso.name] ??= []).push(+h);
        }
        // Pyodide checks the JS objects Python holds against those of a fresh start; the 7th
        // (index 6) now lists the loaded packages: let it pass (a restore sets loadedPackages)
        const api = pyodide._api, expected = api.getExpectedKeys;
        api.getExpectedKeys = () => Object.assign(expected(), { 6: Module.__hiwire_get(6) });
        let bytes;
        try {
          bytes = pyodide.makeMemorySnapshot();
        } catch (err) {
          console.warn("pysim: no Python snapshot:", err.message);
          return;
        } finally {
          api.getExpectedKeys = expected;
        }
        const pages = this.nonZeroPages(bytes);
        const data = new Uint8Array(pages.length * snapshot.PAGE);
        pages.forEach((page, k) => data.set(bytes.subarray(page * snapshot.PAGE, (page + 1) * snapshot.PAGE), k * snapshot.PAGE));
        const meta = { length: bytes.length, pages, handles, tableLength: Module.wasmTable.length,
                       loadedPackages: { ...pyodide.loadedPackages },
                       dynlibs: loads.map(({ path, memoryBase, tableBase, tableEnd }) => ({ path, memoryBase, tableBase, tableEnd })) };
        bytes = null;
        // one snapshot at a time: the previous build's goes
        snapshot.sum(meta, data)
          .then((sum) => snapshot.db("readwrite", (s) => s.put({ version: 1, build, meta, sum, data: new Blob([data]) }, "current")))
          .catch((err) => console.warn("pysim: the Python snapshot was not stored:", err && err.message));
      },
      nonZeroPages(bytes) {
        const words = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
        const per = snapshot.PAGE / 4, pages = [];
        for (let p = 0; p * per < words.length; p++) {
          for (let i = p * per, end = Math.min(words.length, i + per); i < end; i++) {
            if (words[i] !== 0) { pages.push(p); break; }
          }
        }
        const last = Math.floor((bytes.length - 1) / snapshot.PAGE); // its last bytes, if not whole words
        if (bytes.length % 4 && pages[pages.length - 1] !== last) pages.push(last);
        return pages;
      },
    };
  },

  // Load numpy's libraries again where the snapshot had them (called once the runtime is up,
  // before the memory is restored, which then overwrites whatever their start-up wrote).
  loadDynlibs(Module, meta, sitePackages, files) {
    const heap = () => Module.HEAP8.buffer;
    const handle = Module.HEAP8.length - 64; // a scratch dlopen handle in memory the snapshot overwrites
    for (const lib of meta.dynlibs) {
      const data = files.get(lib.path.slice(sitePackages.length));
      if (!lib.path.startsWith(sitePackages) || !data) throw new Error(`${lib.path} is not in the wheels`);
      if (lib.tableBase && Module.wasmTable.length !== lib.tableBase) throw new Error(`function table differs before ${lib.path}`);
      // Emscripten's loadWebAssemblyModule reuses the addresses of a handle marked as loaded
      new Uint8Array(heap()).fill(0, handle, handle + 36);
      new Uint8Array(heap())[handle + 8] = 1;
      new Uint32Array(heap())[(handle + 12) >> 2] = lib.memoryBase;
      new Uint32Array(heap())[(handle + 20) >> 2] = lib.tableBase;
      const dso = Module.newDSO(lib.path, undefined, "loading"); // as Pyodide's loadDynlib does
      dso.refcount = Infinity;
      dso.global = false;
      dso.exports = Module.loadWebAssemblyModule(new WebAssembly.Module(data),
        { loadAsync: false, nodelete: true, allowUndefined: true }, lib.path, {}, handle);
      Module.LDSO.loadedLibsByName[lib.path.split("/").pop()] ??= dso;
      for (const h of meta.handles[lib.path] || []) Module.LDSO.loadedLibsByHandle[h] = dso;
      if (Module.wasmTable.length !== lib.tableEnd) throw new Error(`function table differs after ${lib.path}`);
    }
    if (Module.wasmTable.length !== meta.tableLength) throw new Error("function table differs");
    phase("dynlibs");
  },
};

// The files of a wheel (a zip): [[path, bytes]], inflated by the browser (DecompressionStream).
async function unzip(buf) {
  const v = new DataView(buf), u8 = new Uint8Array(buf), utf8 = new TextDecoder();
  let end = buf.byteLength - 22; // the end-of-central-directory record
  while (end >= 0 && v.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw new Error("a wheel is not a zip file");
  const files = [];
  for (let i = 0, p = v.getUint32(end + 16, true); i < v.getUint16(end + 10, true); i++) {
    if (v.getUint32(p, true) !== 0x02014b50) throw new Error("a wheel's zip directory is damaged");
    const method = v.getUint16(p + 10, true), size = v.getUint32(p + 20, true), usize = v.getUint32(p + 24, true);
    const nameLen = v.getUint16(p + 28, true), local = v.getUint32(p + 42, true);
    const name = utf8.decode(u8.subarray(p + 46, p + 46 + nameLen));
    p += 46 + nameLen + v.getUint16(p + 30, true) + v.getUint16(p + 32, true);
    if (name.endsWith("/")) continue;
    const start = local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true);
    const raw = u8.subarray(start, start + size);
    if (method === 0) files.push([name, raw]);
    else if (method === 8) files.push([name, await inflate(raw, usize)]);
    else throw new Error(`zip method ${method} in a wheel`);
  }
  return files;
}

async function inflate(raw, size) {
  // written and read directly: a Blob's stream() would cost ~1 ms per file
  const ds = new DecompressionStream("deflate-raw");
  const writer = ds.writable.getWriter();
  writer.write(raw).catch(() => {}); // a damaged stream fails read() below
  writer.close().catch(() => {});
  const out = new Uint8Array(size), reader = ds.readable.getReader();
  for (let n = 0; ;) {
    const { done, value } = await reader.read();
    if (done) {
      if (n !== size) throw new Error("a wheel's file has the wrong size");
      return out;
    }
    out.set(value, n); // throws if the data runs past `size`
    n += value.length;
  }
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
  // PythonError messages carry the traceback; the user needs the exception that ends it, whole:
  // a ModelFileError may span several lines (e.g. a snippet that converts a file). It starts at
  // the first unindented line after the last frame ("  File ...", then its indented source).
  const msg = String(err && err.message ? err.message : err).trim();
  const lines = msg.split("\n");
  let k = lines.findLastIndex((l) => l.startsWith("  File "));
  if (k >= 0) while (k + 1 < lines.length && /^\s/.test(lines[k + 1])) k++;
  const text = (k >= 0 ? lines.slice(k + 1).join("\n") : msg).trim() || msg;
  const m = text.match(/^(\w+(?:\.\w+)*(?:Error|Exception)): ([\s\S]*)$/);
  if (m && /ValueError|ModelFileError/.test(m[1])) return { error: m[2], user: true };
  return { error: text, user: false };
}

// ---- requests ----------------------------------------------------------------------------
const booting = boot();
booting.then(({ session, boot: how, afterReady }) => {
  booted = true;
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

function fromPython(res) {
  // a dict -> {key: TypedArray | value}; bytes -> Uint8Array; anything else as is
  if (res === null || typeof res !== "object" || typeof res.toJs !== "function") return { out: res, transfer: [] };
  if (res.type === "dict") return toJs(res);
  const out = res.toJs({ dict_converter: Object.fromEntries });
  res.destroy();
  return { out, transfer: ArrayBuffer.isView(out) ? [out.buffer] : [] };
}
