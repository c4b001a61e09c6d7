// Your own model and exports (web/panels/modelfile.py): load a .npz (pysim / PyTorch or Keras
// names: pysim.io.load_any in the worker), download the current model, and export the trace as
// CSV / JSON. Downloads are Blobs behind a temporary <a download> (common.js): nothing the
// strict CSP forbids. PNGs come from each plot's own save tool.

import { download, safeName, showModel } from "./common.js";
import { pauseTraining } from "./train.js";

const MAX_BYTES = 64 << 20; // pysim.io.MAX_FILE_BYTES
const GATES = ["f", "i", "g", "o", "c", "h"];

/** A CSV field: quoted when it holds a comma, quote, or line break (RFC 4180). */
const field = (v) => {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const line = (cells) => cells.map(field).join(",");

/** The trace as CSV: one row per layer, step and unit (numbers in full precision). */
export function traceCSV(tr) {
  const rows = [line(["layer", "step", "token", "unit", ...GATES])];
  for (let l = 0; l < tr.L; l++) {
    for (let t = 0; t < tr.T; t++) {
      for (let u = 0; u < tr.H; u++) {
        const k = (l * tr.T + t) * tr.H + u;
        rows.push(line([l, t, tr.tokens[t], u, ...GATES.map((g) => tr[g][k])]));
      }
    }
  }
  return rows.join("\r\n") + "\r\n";
}

/** The tag probabilities as CSV: one row per step, one column per tag. */
export function probsCSV(tr) {
  const rows = [line(["step", "token", ...tr.tags])];
  for (let t = 0; t < tr.T; t++) {
    rows.push(line([t, tr.tokens[t], ...Array.from(tr.probs.subarray(t * tr.K, (t + 1) * tr.K))]));
  }
  return rows.join("\r\n") + "\r\n";
}

function fromBase64(b64) {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let k = 0; k < bin.length; k++) out[k] = bin.charCodeAt(k);
  return out;
}

function report(info) {
  const plural = (n, w) => `${n} ${w}${n === 1 ? "" : "s"}`;
  const lines = [
    `Loaded ${info.file} (${info.format === "keras" ? "Keras" : "PyTorch / pysim"} names): ` +
      `${plural(info.layers, "LSTM layer")} \u00d7 ${plural(info.hidden, "unit")}, ` +
      `${info.parameters.toLocaleString("en")} parameters.`,
    info.vocab
      ? `Input: words \u2014 an embedding of ${plural(info.vocab, "word")} \u00d7 ${info.input} ` +
        `(${info.vocab_sample.join(", ")}${info.vocab > info.vocab_sample.length ? ", \u2026" : ""}).`
      : `Input: vectors of width ${info.input} (no vocabulary: each word you type is fed as a ` +
        "fixed pseudo-random vector).",
    info.head
      ? `Output: a softmax over ${plural(info.tags.length, "tag")}: ${info.tags.join(", ")}.`
      : "Output: no softmax head, so no tags (the gates and the memory are still shown).",
  ];
  if (info.description) lines.push(`Description: ${info.description}`);
  lines.push(`It is now the current model (\u201c${info.name}\u201d in the Model menu above).`);
  return lines.join("\n");
}

export function install(ctx) {
  const { ctl, m, bridge, showMessage, afterPaint } = ctx;
  const upload = m("model_file"), out = m("model_report");
  let loading = Promise.resolve();

  /** Load model bytes; resolves with what was found, or rejects (the current model stays). */
  async function loadModel(bytes, filename = "model.npz") {
    if (!(bytes instanceof Uint8Array)) bytes = new Uint8Array(bytes);
    const fail = (msg) => {
      const text = `${filename} was not loaded: ${msg} The current model (${ctl.preset}) stays.`;
      out.text = text;
      showMessage(text);
      return Object.assign(new Error(msg), { user: true });
    };
    if (bytes.length > MAX_BYTES) throw fail(`it has ${bytes.length} bytes, more than a model file may (${MAX_BYTES}).`);
    await pauseTraining();
    await bridge.ready;
    let info;
    try {
      info = await bridge.call("load_model", bytes, String(filename));
    } catch (err) {
      throw err.fatal ? err : fail(err.user ? `${err.message}.`.replace(/\.\.$/, ".") : `pysim could not read it (${err.message}).`);
    }
    showModel(ctx, info);
    ctl.keep(info.name, bytes); // for a restarted worker (app.js bringBack)
    out.text = report(info);
    await ctl.retrace(ctl.text).catch(() => {});
    await afterPaint();
    return info;
  }

  upload.property("value").change.connect(() => {
    const b64 = upload.value, name = upload.filename;
    if (!b64 || Array.isArray(b64)) return;
    let bytes;
    try { bytes = fromBase64(b64); } catch { bytes = new Uint8Array(0); }
    loading = loading.then(() => loadModel(bytes, name)).catch(() => {});
  });

  async function exportModel() {
    await bridge.ready;
    return bridge.call("export_model");
  }
  const quiet = (p) => p.catch((err) => showMessage(`Export failed: ${err.message}`));
  m("model_download").on_event("button_click", () => quiet(exportModel().then((bytes) =>
    download(bytes, `pysim-${safeName(ctl.preset)}.npz`))));
  const stem = () => `pysim-${safeName(ctl.preset)}-${safeName(ctl.trace.tokens.slice(0, 6).join("-"))}`;
  m("export_csv").on_event("button_click", () =>
    download(traceCSV(ctl.trace), `${stem()}-trace.csv`, "text/csv;charset=utf-8"));
  m("export_probs").on_event("button_click", () =>
    download(probsCSV(ctl.trace), `${stem()}-probs.csv`, "text/csv;charset=utf-8"));
  m("export_json").on_event("button_click", () =>
    download(JSON.stringify(ctl.state()), `${stem()}.json`, "application/json"));

  return {
    loadModel: (bytes, filename) => loadModel(bytes, filename),
    exportModel: () => exportModel(),
    exportCSV: () => traceCSV(ctl.trace),
    exportProbsCSV: () => probsCSV(ctl.trace),
    exportJSON: () => JSON.stringify(ctl.state()),
  };
}
