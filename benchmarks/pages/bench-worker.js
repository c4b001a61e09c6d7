// The benchmark worker: Pyodide + numpy + pysim from the site's own pyodide/ folder (the same
// files the page loads), plus benchmarks/pybench.py (copied next to this file), which runs the
// timings in Python with time.perf_counter. Messages: {id, name, kwargs} -> {id, ok, result}.
// Its boot is timed step by step, as web/worker.js boots (the "ready" message carries it):
// every fetch (start, headers), WebAssembly compile/instantiate, loadPyodide, loadPackage,
// `import numpy`, `import pysim.api` + Session() (what the page's worker does before "ready").
import { loadPyodide } from "../pyodide/pyodide.mjs";

const t0 = performance.now();
const now = () => performance.now() - t0;
const boot = { fetches: [], wasm: [], phases: {} };
let bench;

// fetches are timed until their headers arrive, and passed on untouched; with "?wrap" in the
// URL their bodies are re-wrapped in a new Response as web/worker.js does to count progress
// (a Response made by script has no URL, which decides whether Chromium caches compiled wasm)
const WRAP = self.location.search.includes("wrap");
const realFetch = self.fetch.bind(self);
self.fetch = async (input, init) => {
  const url = String(input instanceof Request ? input.url : input);
  const rec = { file: url.split("/").pop(), start: now(), headers: null };
  boot.fetches.push(rec);
  const resp = await realFetch(input, init);
  rec.headers = now();
  if (!WRAP || !resp.body) return resp;
  return new Response(resp.body.pipeThrough(new TransformStream()), {
    status: resp.status, statusText: resp.statusText, headers: resp.headers,
  });
};

for (const name of ["instantiateStreaming", "instantiate", "compileStreaming", "compile"]) {
  const real = WebAssembly[name];
  if (typeof real !== "function") continue;
  WebAssembly[name] = async function (...args) {
    const rec = { call: name, start: now(), end: null };
    boot.wasm.push(rec);
    try { return await real.apply(WebAssembly, args); } finally { rec.end = now(); }
  };
}

async function timed(name, fn) {
  const s = now();
  try { return await fn(); } finally { boot.phases[name] = now() - s; }
}

async function start() {
  const pyodide = await timed("loadPyodide", () =>
    loadPyodide({ indexURL: new URL("../pyodide/", self.location.href).href, fullStdLib: false }));
  await timed("loadPackage numpy+pysim", () =>
    pyodide.loadPackage(["numpy", "pysim"], { messageCallback: () => {} }));
  await timed("import numpy", () => pyodide.runPython("import numpy"));
  await timed("import pysim.api + Session()", () => pyodide.runPython("import pysim.api\npysim.api.Session()"));
  const src = await (await realFetch(new URL("pybench.py", self.location.href))).text();
  pyodide.FS.writeFile("/home/pyodide/pybench.py", src);
  pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide')");
  bench = pyodide.pyimport("pybench");
}

start().then(() => self.postMessage({ type: "ready", ms: now(), boot }),
  (err) => self.postMessage({ type: "fatal", error: String(err && err.message || err) }));

self.onmessage = (ev) => {
  const { id, name, kwargs } = ev.data;
  try {
    self.postMessage({ id, ok: true, result: bench.run_json(name, kwargs) });
  } catch (err) {
    self.postMessage({ id, ok: false, error: String(err && err.message || err) });
  }
};
