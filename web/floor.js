// The benchmark floor: boot Pyodide + numpy in the same worker, from the same files, and nothing else.
const worker = new Worker(new URL("worker.js?floor", import.meta.url), { type: "module" });
window.floorReady = new Promise((resolve, reject) => {
  worker.onmessage = (ev) => {
    if (ev.data.type === "ready") {
      const ms = performance.now();
      document.getElementById("floor-status").textContent = `ready after ${ms.toFixed(0)} ms`;
      resolve(ms);
    } else if (ev.data.type === "fatal") reject(new Error(ev.data.error));
  };
});
