// Your own model and exports (web/panels/modelfile.py): load a .npz (pysim / PyTorch or Keras
// names: pysim.io.load in the worker, with a vocabulary file and module names if given), download
// the current model, and export the trace as CSV / JSON. A loaded model is shown through
// ctl.adopt (controller.js): the text box gets a sentence it reads (Session.load_model's "text"), or
// stays empty with a prompt saying what it reads while the views show it reading one word of its
// vocabulary ("probe"); views, menu, status and state() change together or not at all. Downloads are Blobs behind a temporary <a download> (common.js): nothing the
// strict CSP forbids. PNGs come from each plot's own save tool.

import { t } from "../i18n.js";
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

// "{n} things" in the page's language (keys <key> and <key>_one: web/strings.py)
const count = (n, key) => t(n === 1 ? `${key}_one` : key, { n });

function report(info, vocabFile) {
  const sample = info.vocab ? `${info.vocab_sample.join(", ")}${info.vocab > info.vocab_sample.length ? ", \u2026" : ""}` : "";
  const lines = [
    t("model.loaded", { file: info.file, format: info.format === "keras" ? "Keras" : "PyTorch / pysim",
                        layers: count(info.layers, "model.layers"), hidden: count(info.hidden, "model.units"),
                        parameters: info.parameters.toLocaleString("en") }),
    info.vocab
      ? t("model.input_words", { words: count(info.vocab, "model.words"), width: info.input, sample,
                                 from: vocabFile ? t("model.vocab_from", { file: vocabFile }) : "",
                                 unk: info.unk ? t("model.unk", { unk: info.unk }) : t("model.no_unk") })
      : t("model.input_vectors", { width: info.input }),
    info.head
      ? t("model.output_tags", { tags: count(info.tags.length, "model.tags"), names: info.tags.join(", ") })
      : t("model.no_output"),
  ];
  // pysim's notes and the file's description are the model's own words (English, as written)
  for (const note of info.notes || []) lines.push(t("model.note", { note: `${note}.`.replace(/\.\.$/, ".") }));
  if (info.description) lines.push(t("model.description", { description: info.description }));
  lines.push(info.text ? t("model.text", { text: info.text })
    : t("model.no_text", { reads: info.reads, probe: info.probe }));
  lines.push(t("model.current", { name: info.name }));
  return lines.join("\n");
}

/** A vocabulary as loadModel takes it (file bytes, its text, or a list of words) -> what the
 *  worker's Session.load_model takes; null for none. */
function vocabArg(vocab) {
  if (vocab === null || vocab === undefined) return null;
  if (vocab instanceof ArrayBuffer) return new Uint8Array(vocab);
  if (vocab instanceof Uint8Array || typeof vocab === "string") return vocab;
  if (Array.isArray(vocab)) return vocab.map(String);
  throw Object.assign(new Error(t("model.vocab_type")), { user: true });
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
      const text = t("model.refused", { file: filename, reason: msg, current: ctl.preset });
      out.text = text;
      showMessage(text);
      return Object.assign(new Error(msg), { user: true });
    };
    if (bytes.length > MAX_BYTES) throw fail(t("model.too_big", { n: bytes.length, max: MAX_BYTES }));
    const given = vocabArg(words);
    await pauseTraining();
    await bridge.need("file");
    let info;
    try {
      info = await bridge.call("load_model", bytes, String(filename), given,
        names ? (typeof names === "string" ? names : { ...names }) : null, ctl.text);
    } catch (err) {
      throw err.fatal ? err : fail(err.user ? err.message : t("model.unreadable", { reason: err.message }));
    }
    const prompt = info.text ? "" : t("model.prompt", { reads: info.reads });
    const note = info.text ? "" : t("model.until", { probe: info.probe });
    const shown = () => { out.text = report(info, vocabName || (given ? t("model.vocab_given") : "")); };
    try {
      await ctl.adopt(info, info.text || info.probe, { box: info.text, prompt, note, own: true, shown });
    } catch (err) {
      throw err.fatal ? err : fail(t("model.trace_failed", { reason: err.message }));
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
    download(bytes, `pysim-${safeName(ctl.preset)}.npz`)), (err) => showMessage(t("model.export_failed", { reason: err.message }))));
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
