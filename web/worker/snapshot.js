// Memory snapshots of a booted Python, with Pyodide internals (worker.js boots from one).
//
// Pyodide 0.27.7 can snapshot and restore the wasm memory (loadPyodide's _makeSnapshot and
// _loadSnapshot options, pyodide.makeMemorySnapshot()), but knows nothing of shared libraries:
// numpy's 19 .so files live outside the memory (their code, their function-table slots). So the
// snapshot also records, for each library in load order, the memory and table addresses it got;
// a restore loads each again at those addresses (Emscripten's dlopen-handle path reuses given
// addresses) before the memory comes back, and checks that the function table grew exactly as
// it did. One snapshot is stored (IndexedDB), with the build id of sw.js (another build boots
// afresh and replaces it) and a sha256 (a damaged one is not used). Memory pages that are all
// zero (3/4 of ~100 MB) are not stored: ~28 MB.

import { FLOOR, hex, phase } from "./env.js";

export const snapshot = {
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
