// When and where pysim's Python starts. index.html runs this small module `async`, while the page
// is still being parsed, so that a page that wants Python at once starts its worker (web/worker.js)
// ~0.3 s before app.js and its modules have loaded; app.js takes the worker over with everything
// it has said (takeWorker), or starts it later (makeWorker). A started worker downloads at once
// and boots once the page's views in sight are built (web/bridge.js go()); with `&python=now` in
// the URL (test authors), at once (`launch.bootAtOnce`).
//
// The start policy (launch), from the URL and the connection:
//   "now"   start at once: the full page, or any page with `&python=now` (test authors)
//   "view"  an embed (`?embed`): start when the embed is scrolled into view, touched, focused or
//           typed in (web/lazy.js watches), or when something needs Python
//   "ask"   Save-Data (navigator.connection.saveData) or a slow connection (effectiveType
//           slow-2g, 2g or 3g): the prerendered examples are read and stepped without Python; it
//           is fetched only once the reader, asked with its size, says so (web/lazy.js)
// `&python=now|view|ask` overrides the choice.
// Where: embeds share one Python per browser and site (a module SharedWorker, one Session per
// embed, keyed by its port) where the browser has SharedWorker; the full page has a dedicated
// Worker of its own (benchmarks/embeds.py measured both). `&worker=shared|dedicated` overrides.

const params = new URLSearchParams(location.search);
const SLOW = ["slow-2g", "2g", "3g"];

function choose() {
  const asked = params.get("python");
  if (["now", "view", "ask"].includes(asked)) return asked;
  const net = navigator.connection;
  if (net && (net.saveData || SLOW.includes(net.effectiveType))) return "ask";
  return params.has("embed") ? "view" : "now";
}

const wantShared = params.get("worker") === "shared"
  || (params.get("worker") !== "dedicated" && params.has("embed"));

export const launch = {
  mode: choose(),
  bootAtOnce: params.get("python") === "now",
  shared: wantShared && typeof SharedWorker === "function",
  net: navigator.connection ? { saveData: Boolean(navigator.connection.saveData),
                                effectiveType: navigator.connection.effectiveType || "" } : null,
};

/** A new Python worker: {kind: "worker" | "shared", port (postMessage/onmessage), worker}.
 *  `restarts`: how many times this page has restarted Python; the embeds that restart a shared
 *  Python that failed meet in a new one of that name (the failed one may not have closed yet). */
export function makeWorker(restarts = 0) {
  const url = new URL("worker.js", import.meta.url);
  if (launch.shared) {
    const worker = new SharedWorker(url, { type: "module", name: restarts ? `pysim-${restarts}` : "pysim" });
    return { kind: "shared", worker, port: worker.port };
  }
  const worker = new Worker(url, { type: "module" });
  return { kind: "worker", worker, port: worker };
}

let first = null; // the worker started here, if the policy says "now", and its events so far
if (launch.mode === "now") {
  first = { ...makeWorker(), early: [] }; // what the worker said before app.js listened: replayed
  first.port.onmessage = (ev) => first.early.push(ev);
  first.worker.onerror = (ev) => { ev.preventDefault(); first.early.push(ev); };
  if (first.kind === "shared") first.port.start();
}
let taken = false;

/** The worker started here and its events so far, once; null afterwards or if none was started. */
export function takeWorker() {
  if (taken) return null;
  taken = true;
  return first;
}
