// Your own model and exports (web/panels/modelfile.py): load a .npz (pysim / PyTorch or Keras
// names: pysim.io.load in the worker, with a vocabulary file and module names if given), download
// the current model, and export the trace as CSV / JSON. A loaded model is shown through
// ctl.adopt (controller.js): the text box gets a sentence it reads (Session.load_model's "text"), or
// stays empty with a prompt saying what it reads while the views show it reading one word of its
// vocabulary ("probe"); views, menu, status and state() change together or not at all. Downloads are Blobs behind a temporary <a download> (common.js): nothing the
// strict CSP forbids. PNGs come from each plot's own save tool.

import { download, safeName } from "./common.js";
import { pauseTraining } from "./train.js";
import { quiet } from "../util.js";

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

const plural = (n, w) => `${n} ${w}${n === 1 ? "" : "s"}`;

function report(info, vocabFile) {
  const lines = [
    `Loaded ${info.file} (${info.format === "keras" ? "Keras" : "PyTorch / pysim"} names): ` +
      `${plural(info.layers, "LSTM layer")} \u00d7 ${plural(info.hidden, "unit")}, ` +
      `${info.parameters.toLocaleString("en")} parameters.`,
    info.vocab
      ? `Input: words \u2014 an embedding of ${plural(info.vocab, "word")} \u00d7 ${info.input} ` +
        `(${info.vocab_sample.join(", ")}${info.vocab > info.vocab_sample.length ? ", \u2026" : ""})` +
        `${vocabFile ? `, the vocabulary from ${vocabFile}` : ""}; ` +
        (info.unk ? `a word it does not know is read as ${info.unk}.`
          : "it has no unknown-word token: every word typed must be in its vocabulary.")
      : `Input: vectors of width ${info.input} (no vocabulary: each word you type is fed as a ` +
        "fixed pseudo-random vector).",
    info.head
      ? `Output: a softmax over ${plural(info.tags.length, "tag")}: ${info.tags.join(", ")}.`
      : "Output: no softmax head, so no tags (the gates and the memory are still shown).",
  ];
  for (const note of info.notes || []) lines.push(`Note: ${note}.`.replace(/\.\.$/, "."));
  if (info.description) lines.push(`Description: ${info.description}`);
  lines.push(info.text
    ? `The text box holds a sentence it reads: \u201c${info.text}\u201d.`
    : `It has no example sentence and does not know every word of the text that was on screen: ` +
      `type a sentence (it reads ${info.reads}). Until then the views show it reading ` +
      `\u201c${info.probe}\u201d, one word of its vocabulary.`);
  lines.push(`It is now the current model (\u201c${info.name}\u201d in the Model menu above).`);
  return lines.join("\n");
}

/** A vocabulary as loadModel takes it (file bytes, its text, or a list of words) -> what the
 *  worker's Session.load_model takes; null for none. */
function vocabArg(vocab) {
  if (vocab === null || vocab === undefined) return null;
  if (vocab instanceof ArrayBuffer) return new Uint8Array(vocab);
  if (vocab instanceof Uint8Array || typeof vocab === "string") return vocab;
  if (Array.isArray(vocab)) return vocab.map(String);
  throw Object.assign(new Error("vocab must be a Uint8Array, a string or a list of words"), { user: true });
}

export function install(ctx) {
  const { ctl, m, bridge, showMessage } = ctx;
  const MAX_BYTES = ctl.boot.constants.max_bytes; // pysim.io.MAX_FILE_BYTES
  const upload = m("model_file"), out = m("model_report");
  const vocabInput = m("vocab_file"), namesInput = m("module_names");
  let loading = Promise.resolve();
  let vocab = null;       // {bytes, name} of the vocabulary file chosen on the tab
  let refused = null;     // {bytes, name} of the last model file the tab's input could not load

  /** Load model bytes; resolves with what was found once every view shows the model, or rejects
   *  with the whole reason (the current model stays). */
  async function loadModel(bytes, filename = "model.npz", options = {}) {
    if (!(bytes instanceof Uint8Array)) bytes = new Uint8Array(bytes);
    const { vocab: words = null, names = "", vocabName = "" } = options || {};
    const fail = (msg) => {
      const text = `${filename} was not loaded:\n${msg}\nThe current model (${ctl.preset}) stays.`;
      out.text = text;
      showMessage(text);
      return Object.assign(new Error(msg), { user: true });
    };
    if (bytes.length > MAX_BYTES) throw fail(`it has ${bytes.length} bytes, more than a model file may (${MAX_BYTES}).`);
    const given = vocabArg(words);
    await pauseTraining();
    await bridge.need("file");
    let info;
    try {
      info = await bridge.call("load_model", bytes, String(filename), given,
        names ? (typeof names === "string" ? names : { ...names }) : null, ctl.text);
    } catch (err) {
      throw err.fatal ? err : fail(err.user ? err.message : `pysim could not read it (${err.message}).`);
    }
    const prompt = info.text ? "" : `This model reads ${info.reads}; type a sentence`;
    const note = info.text ? "" : `Until then the views show it reading \u201c${info.probe}\u201d.`;
    const shown = () => { out.text = report(info, vocabName || (given ? "the vocabulary given" : "")); };
    try {
      await ctl.adopt(info, info.text || info.probe, { box: info.text, prompt, note, own: true, shown });
    } catch (err) {
      throw err.fatal ? err : fail(`its trace failed (${err.message}).`);
    }
    // for a restarted worker (controller.js bringBack): the file, or with a vocabulary or names given,
    // the model as pysim writes it (its vocabulary in meta)
    ctl.keep(info.name, given || names ? await bridge.call("export_model") : bytes);
    return info;
  }

  const decode = (b64) => { try { return fromBase64(b64); } catch { return new Uint8Array(0); } };
  const fromTab = (bytes, name) => loadModel(bytes, name, vocab ? { vocab: vocab.bytes,
    vocabName: vocab.name, names: namesInput.value } : { names: namesInput.value });
  upload.property("value").change.connect(() => {
    const b64 = upload.value, name = upload.filename;
    if (!b64 || Array.isArray(b64)) return;
    const bytes = decode(b64);
    loading = loading.then(() => fromTab(bytes, name))
      .then(() => { refused = null; }, () => { refused = { bytes, name }; });
  });
  // a vocabulary chosen after its model file was refused (it had none): that file again with it
  vocabInput.property("value").change.connect(() => {
    const b64 = vocabInput.value;
    if (!b64 || Array.isArray(b64)) { vocab = null; return; }
    vocab = { bytes: decode(b64), name: vocabInput.filename };
    if (refused) {
      const { bytes, name } = refused;
      loading = loading.then(() => fromTab(bytes, name)).then(() => { refused = null; }, () => {});
    }
  });

  /** The current model's .npz (uncompressed: see Session.export_model; {compressed: true} for
   *  np.savez_compressed), as a Uint8Array whose buffer the worker transferred (no copy). */
  async function exportModel({ compressed = false } = {}) {
    await bridge.need("export");
    return bridge.call("export_model", Boolean(compressed));
  }
  m("model_download").on_event("button_click", () => quiet(exportModel().then((bytes) =>
    download(bytes, `pysim-${safeName(ctl.preset)}.npz`)), (err) => showMessage(`Export failed: ${err.message}`)));
  const stem = () => `pysim-${safeName(ctl.preset)}-${safeName(ctl.trace.tokens.slice(0, 6).join("-"))}`;
  m("export_csv").on_event("button_click", () =>
    download(traceCSV(ctl.trace), `${stem()}-trace.csv`, "text/csv;charset=utf-8"));
  m("export_probs").on_event("button_click", () =>
    download(probsCSV(ctl.trace), `${stem()}-probs.csv`, "text/csv;charset=utf-8"));
  m("export_json").on_event("button_click", () =>
    download(JSON.stringify(ctl.state()), `${stem()}.json`, "application/json"));

  return {
    loadModel: (bytes, filename, options) => loadModel(bytes, filename, options),
    exportModel: (options) => exportModel(options || {}),
    exportCSV: () => traceCSV(ctl.trace),
    exportProbsCSV: () => probsCSV(ctl.trace),
    exportJSON: () => JSON.stringify(ctl.state()),
  };
}
