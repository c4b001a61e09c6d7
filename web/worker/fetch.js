// Fetching with progress: every response Pyodide (or the snapshot restore) fetches is counted
// and reported to the page as {type: "progress", loaded, total, file} (at most every 100 ms).
// prefetch() starts a download early; the fetch that asks for the same url later takes it.
// A file that fails to load is reported at once as {type: "fatal"} while booting (Pyodide may
// only log it and never settle), and so is a wasm module that does not compile. Both go to every
// page the worker serves (ports.js).

import { broadcast } from "./ports.js";

// ---- load progress: count the bytes of every response Pyodide fetches ----------------------
export const progress = { loaded: 0, total: 0, file: "", last: 0 };
export const realFetch = self.fetch.bind(self);
export const early = new Map(); // url -> Promise<Response>: fetches started before Pyodide asks for them
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
export function prefetch(url, init) {
  if (requested.has(url)) return; // too late: it is on its way already
  requested.add(url);
  const p = fetchFile(url, init);
  p.catch(() => {}); // reported by fetchFile; whoever takes it sees the error again
  early.set(url, p);
}

// ---- load failures: reported at once, by file (Pyodide may only log them and never settle) ---
let fatalSent = false, booted = false;
/** Python is up: a failed load is now an answer to a request, not a fatal error. */
export const setBooted = () => { booted = true; };
export function fatal(error) {
  if (fatalSent) return;
  fatalSent = true;
  broadcast({ type: "fatal", error });
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
  broadcast({ type: "progress", loaded: progress.loaded, total: progress.total, file: progress.file });
}
