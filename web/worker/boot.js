// Booting Python: boot(go) starts every download at once, and the work that takes the CPU
// (compiling Pyodide's wasm, restoring or installing, importing) once `go` resolves (the page
// says when: worker.js); it resolves with {pyodide, session, boot: "fresh" | "snapshot",
// afterReady}. A fresh boot loads Pyodide, installs the numpy and pysim wheels and imports
// pysim.api (recording what a snapshot needs); a snapshot boot restores the memory snapshot of
// the same build (snapshot.js), with site-packages unpacked from the same wheels (unzip.js).
// Any failure of a snapshot boot falls back to a fresh one.

import { FLOOR, PACKAGES, PYODIDE, base, hex, phase, sri } from "./env.js";
import { early, prefetch, progress, realFetch } from "./fetch.js";
import { snapshot } from "./snapshot.js";
import { unzip } from "./unzip.js";

// Pyodide's files are imported by URL (not by a path esbuild would resolve): build_bundle.py
// bundles this module into dist/worker.js, and Pyodide's loader stays the official file
let loadPyodide = null;

export async function boot(go) {
  // everything that does not depend on anything else starts at once
  const loader = import(PYODIDE + "pyodide.mjs").then((m) => { loadPyodide = m.loadPyodide; });
  const asmjs = import(PYODIDE + "pyodide.asm.js").then(() => { // loadPyodide skips its own import
    hookFactory();
    phase("pyodide.asm.js");
  });
  const scripts = Promise.all([loader, asmjs]);
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
  await go;
  phase("go");
  if (saved && saved.build === await build) {
    try {
      return { ...await restore(saved, await lock, scripts), boot: "snapshot" };
    } catch (err) { // a snapshot that does not fit: forget it, boot as usual
      console.warn("pysim: the saved Python snapshot could not be used, booting afresh:", err.message);
      snapshot.forget(); // (and Pyodide fetches again what the restore took)
    }
  }
  await scripts;
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

async function restore(saved, lock, scripts) {
  // site-packages comes from the same wheels, unpacked here while Pyodide starts
  const files = Promise.all(PACKAGES.map(async (name) => {
    const { file_name: file, sha256 } = lock.packages[name];
    const resp = await self.fetch(PYODIDE + file, { integrity: sri(sha256) });
    return unzip(await resp.arrayBuffer());
  })).then((lists) => { phase("wheels"); return new Map(lists.flat()); });
  files.catch(() => {}); // a failed download is reported by fetchFile already
  await scripts;
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
