// Where the worker runs and what it loads: its base URL, the floor mode ("?floor": Pyodide +
// numpy only, the benchmark floor), the packages, the boot phases' timings, hash helpers.

export const t0 = performance.now();
export const FLOOR = self.location.search.includes("floor");
export const base = new URL("./", self.location.href).href; // the site's root (worker.js is there)
export const PYODIDE = base + "pyodide/";
export const PACKAGES = FLOOR ? ["numpy"] : ["numpy", "pysim"];
export const phases = {}; // boot step -> ms since the worker started (sent with "ready")
export const phase = (name) => { phases[name] = Math.round(performance.now() - t0); };

export const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
/** A subresource-integrity string from a hex sha256 (Pyodide's lock lists them in hex). */
export const sri = (sha256hex) => "sha256-" + btoa(String.fromCharCode(...sha256hex.match(/../g).map((h) => parseInt(h, 16))));
