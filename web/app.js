// pysim's page module: the only place that knows both Pyodide (through web/worker.js) and BokehJS.
// Sections: boot data, worker bridge, traces, views (BokehJS models), controller, widgets, API.
// No inline scripts, no CustomJS, no eval: the site runs under a strict CSP.

import { takeWorker } from "./start.js";
import { FEATURES } from "./features/index.js";
import { PlotOverlay, setBox } from "./features/overlay.js";
import { cellLimit, drawPreview } from "./features/preview.js";

// ---- boot data ------------------------------------------------------------------------------
const byId = (id) => document.getElementById(id);
const bootData = () => JSON.parse(byId("pysim-boot").textContent);
const afterPaint = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));

/** Run BokehJS's scripts (preloaded by index.html), in order. */
function loadScripts(files) {
  return files.reduce((prev, src) => prev.then(() => new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(s);
  })), Promise.resolve());
}

// ---- worker bridge --------------------------------------------------------------------------
class Bridge {
  constructor(handlers) {
    this.handlers = handlers;
    this.pending = new Map();
    this.nextId = 1;
    this.start();
  }

  start() {
    this.failed = null;
    const early = takeWorker(); // the first start: the worker start.js started while parsing
    this.worker = early ? early.worker : new Worker(new URL("worker.js", import.meta.url), { type: "module" });
    this.ready = new Promise((resolve, reject) => { this._ready = resolve; this._fail = reject; });
    this.ready.catch(() => {}); // reported through handlers.fatal
    this.worker.onmessage = (ev) => this.receive(ev.data);
    this.worker.onerror = (ev) => {
      ev.preventDefault();
      this.crash(`the Python worker stopped: ${ev.message || "it could not be started (is worker.js there?)"}`);
    };
    for (const ev of early ? early.early : []) {
      if (this.failed) break;
      if (ev.type === "error") this.worker.onerror(ev);
      else this.worker.onmessage(ev);
    }
  }

  receive(msg) {
    if (msg.type === "progress") return this.handlers.progress(msg);
    if (msg.type === "ready") { this._ready(msg); return this.handlers.ready(msg); }
    if (msg.type === "fatal") return this.crash(`Python could not start: ${msg.error}`);
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(Object.assign(new Error(msg.error), { user: msg.user }));
  }

  crash(reason) {
    this.failed = reason;
    this._fail(new Error(reason));
    for (const p of this.pending.values()) p.reject(Object.assign(new Error(reason), { fatal: true }));
    this.pending.clear();
    this.worker.terminate();
    this.handlers.fatal(reason);
  }

  request(cmd, payload) {
    if (this.failed) return Promise.reject(Object.assign(new Error(this.failed), { fatal: true }));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, cmd, ...payload });
    });
  }

  restart() {
    this.worker.terminate();
    this.start();
  }

  /** Call a method of the worker's pysim.api.Session; resolves with its (converted) result. */
  call(method, ...args) {
    return this.request("call", { method, args });
  }
}

// ---- traces: one flat layout for the prerendered (JSON) and the live (typed array) ones -----
const ARRAYS = ["f", "i", "g", "o", "c", "h"];

function traceFromJson(j) {
  const L = j.layers.length, T = j.tokens.length, H = T ? j.layers[0].f[0].length : 0;
  const K = j.tags.length;
  const tr = { tokens: j.tokens, unknown: Uint8Array.from(j.unknown, Number), L, T, H, K,
               tags: j.tags, notice: j.notice || "" };
  for (const k of ARRAYS) {
    const a = new Float64Array(L * T * H);
    j.layers.forEach((layer, l) => layer[k].forEach((rowv, t) => a.set(rowv, (l * T + t) * H)));
    tr[k] = a;
  }
  tr.probs = new Float64Array(T * K);
  j.probs.forEach((rowv, t) => tr.probs.set(rowv, t * K));
  return tr;
}

function traceFromWorker(r) {
  const [L, T, H] = r.shape;
  return { ...r, L, T, H, K: r.tags.length };
}

const at = (tr, k, l, t, u) => tr[k][(l * tr.T + t) * tr.H + u];

function traceToJson(tr) {
  const grid = (k, l) => Array.from({ length: tr.T }, (_, t) =>
    Array.from(tr[k].subarray((l * tr.T + t) * tr.H, (l * tr.T + t + 1) * tr.H)));
  return {
    tokens: [...tr.tokens],
    layers: Array.from({ length: tr.L }, (_, l) => Object.fromEntries(ARRAYS.map((k) => [k, grid(k, l)]))),
    probs: Array.from({ length: tr.T }, (_, t) => Array.from(tr.probs.subarray(t * tr.K, (t + 1) * tr.K))),
    tags: [...tr.tags],
  };
}

// ---- views: the BokehJS models, looked up by name ---------------------------------------------
const HEAT = ["f", "i", "o", "g", "c", "h"];
// the figures with a step cursor: a frame around step t and a curtain over the steps after it
// (how opaque: the token strip's words not read yet stay legible)
const CURSORS = [...HEAT.map((k) => [`fig_${k}`, { now: true, veil: 0.9 }]),
  ["tok_fig", { now: true, veil: 0.6 }], ["unit_fig", { now: false, veil: 0.9 }],
  ["probs_fig", { now: true, veil: 0.9 }]];
const LEGIBLE_STEPS = 60; // up to this many steps, words and dots are drawn (beyond, they overlap)
const fmt = (x) => (Math.abs(x) < 0.005 ? "0" : x.toFixed(2));

/** The step cursor of one figure, as HTML over the plot (features/overlay.js): a box clipped to
 *  the plot's frame holds the frame around step t and the curtain after it. A step only changes
 *  their `transform`: the compositor moves them, nothing is repainted, no canvas re-uploaded. */
class StepCursor {
  constructor(plotView, name, { now, veil }) {
    this.t = 0;
    this.overlay = new PlotOverlay(plotView);
    this.clip = this.overlay.add((el, frame) => {
      const { bbox, x_scale } = frame;
      setBox(el, bbox.left, bbox.top, bbox.width + 1, bbox.height + 1); // + the last pixel row/column
      if (!this.curtain) return; // add() places the clip box before its parts exist
      this.x0 = x_scale.compute(0) - bbox.left;           // step 0's centre, in the clip box
      this.dx = x_scale.compute(1) - x_scale.compute(0);  // pixels per step
      setBox(this.curtain, 0, 0, bbox.width + 1, bbox.height + 1);
      if (this.now) setBox(this.now, 0, 0, this.dx, bbox.height + 1);
      this.move();
    }, { overflow: "hidden" });
    const part = (kind, style) => {
      const el = document.createElement("div");
      el.dataset.cursor = `${kind}_${name}`;
      Object.assign(el.style, { position: "absolute", boxSizing: "border-box", willChange: "transform" }, style);
      this.clip.append(el);
      return el;
    };
    this.curtain = part("curtain", { background: `rgba(255, 255, 255, ${veil})` });
    this.now = now ? part("now", { border: "2px solid #222" }) : null;
    this.overlay.place();
  }

  move() {
    const left = this.x0 + (this.t - 0.5) * this.dx; // step t's left edge
    this.curtain.style.transform = `translateX(${left + this.dx}px)`;
    if (this.now) this.now.style.transform = `translateX(${left}px)`;
  }

  place(t) {
    this.t = t;
    if (this.dx !== undefined) this.move();
  }
}

/** The page's Bokeh model of this name (in any of its documents: the main one, the tabs). */
function model(name) {
  for (const doc of window.Bokeh.documents) {
    const found = doc.get_model_by_name(name);
    if (found) return found;
  }
  throw new Error(`the page has no Bokeh model named ${name}`);
}

class Views {
  constructor() {
    const m = model;
    this.src = { cells: m("cells"), tokens: m("tokens"), tokLabels: m("tok_labels"),
                 unit: m("unit_lines"), probs: m("probs"), probLabels: m("prob_labels") };
    this.ndarray = window.Bokeh.require("core/util/ndarray").ndarray; // what image glyphs take
    this.PlainText = window.Bokeh.require("models/text/plain_text").PlainText;
    this.cursors = CURSORS.map(([name, opts]) => new StepCursor(window.Bokeh.index.get_one(m(name)), name, opts));
    this.heat = HEAT.map((k) => m(`fig_${k}`));
    this.xRange = this.heat[0].x_range;
    this.cmapC = [m("cmap_c"), m("cmap_c_bar")];
    this.unitFig = m("unit_fig");
    this.unitDots = this.unitFig.renderers.filter((r) => r.name === "unit_dots");
    this.tokFig = m("tok_fig");
    this.probsFig = m("probs_fig");
    this.probsAxis = m("probs_axis");
    this.probsTicks = m("probs_ticks");
    this.w = Object.fromEntries(["text", "preset", "back", "forward", "play", "reset", "scrub",
      "speed", "unit", "layer", "article_0", "article_1", "article_label", "article_gap"]
      .map((k) => [k, m(k)]));
  }

  /** The article's example buttons, shown only for a model that knows every word of both. */
  showArticle(known) {
    for (const k of ["article_label", "article_0", "article_1", "article_gap"]) {
      if (this.w[k].visible !== known) this.w[k].visible = known;
    }
  }

  drawTrace(tr, layer, unit) {
    const { T, H, K } = tr;
    const n = T * H;
    const steps = Array.from({ length: T }, (_, t) => t);
    // the heatmaps are (H, T) images, row = unit, column = step; the trace is (T, H) per layer
    const cells = { x: [-0.5], y: [-0.5], dw: [T], dh: [H],
                    t: [Array(H).fill(steps)], token: [Array(H).fill(tr.tokens)],
                    unit: [Array.from({ length: H }, (_, u) => Array(T).fill(u))] };
    let cmax = 0;
    for (const k of ARRAYS) {
      const a = tr[k], img = new Float64Array(n), off = layer * n;
      for (let t = 0; t < T; t++) for (let u = 0; u < H; u++) img[u * T + t] = a[off + t * H + u];
      if (k === "c") for (let r = 0; r < n; r++) cmax = Math.max(cmax, Math.abs(img[r]));
      cells[k] = [this.ndarray(img, { shape: [H, T] })];
    }
    this.src.cells.data = cells;

    const tags = tr.tags.length ? tr.tags : ["(no head)"];
    const tok = { t: steps, token: [...tr.tokens], note: [], tag: [], p: [], colour: [] };
    const words = { tag_main: [], tag_o: [] };
    // tag probabilities: a (K, T) image, tag k on row K-1-k (the first tag on top)
    const pimg = new Float64Array(K * T);
    const labels = { t: [], y: [], label_light: [], label_dark: [] }; // numbers on short texts
    for (let t = 0; t < T; t++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (tr.probs[t * K + k] > tr.probs[t * K + best]) best = k;
      tok.note.push(tr.unknown[t] ? "<unk>" : "");
      const tag = K ? tags[best] : "";
      tok.tag.push(tag);
      words.tag_main.push(best === 0 ? "" : tag); // the first tag ("O") is "nothing": in grey
      words.tag_o.push(best === 0 ? tag : "");
      tok.p.push(K ? tr.probs[t * K + best] : NaN);
      tok.colour.push(tr.unknown[t] ? "#fde0dd" : "#eef3fa");
      for (let k = 0; k < K; k++) {
        const p = tr.probs[t * K + k];
        pimg[(K - 1 - k) * T + t] = p;
        if (T <= 40) { // numbers fit in the boxes
          labels.t.push(t); labels.y.push(K - 1 - k);
          labels.label_light.push(p > 0.55 ? fmt(p) : ""); labels.label_dark.push(p > 0.55 ? "" : fmt(p));
        }
      }
    }
    this.src.tokens.data = tok;
    // words in the strip and dots on the unit's lines only while they can be told apart
    const legible = T <= LEGIBLE_STEPS;
    this.src.tokLabels.data = legible ? { t: steps, token: tok.token, note: tok.note, ...words }
      : { t: [], token: [], note: [], tag_main: [], tag_o: [] };
    const title = legible ? "tokens (current one framed; predicted tag below)"
      : `tokens: ${T} words, too many to print (hover a box to read it; current one framed)`;
    if (this.tokFig.title.text !== title) this.tokFig.title.text = title;
    for (const dots of this.unitDots) if (dots.visible !== legible) dots.visible = legible;
    const rows = Math.max(K, 1);
    this.src.probs.data = K ? {
      x: [-0.5], y: [-0.5], dw: [T], dh: [K], p: [this.ndarray(pimg, { shape: [K, T] })],
      t: [Array(K).fill(steps)], token: [Array(K).fill(tr.tokens)],
      tag: [Array.from({ length: K }, (_, j) => Array(T).fill(tags[K - 1 - j]))],
    } : { x: [], y: [], dw: [], dh: [], p: [], t: [], tag: [], token: [] };
    this.src.probLabels.data = labels;
    this.probsFig.y_range.setv({ start: -0.5, end: rows - 0.5 });
    const ticks = Array.from({ length: rows }, (_, j) => j);
    if (String(this.probsTicks.ticks) !== String(ticks)) this.probsTicks.ticks = ticks;
    // tick j is named by tag K-1-j, as plain text (a string would be parsed for TeX delimiters).
    // The map never loses a key: on a change BokehJS 3.10 removes every label view but keeps the
    // keys the new map lacks, and removes their views again on the next change ("view was
    // already destroyed" warnings). Keys past the ticks get an empty label (no tick draws it).
    const names = ticks.map((j) => tags[rows - 1 - j]);
    if (String(names) !== String(this.probsNames)) {
      this.probsNames = names;
      this.probsKeys = Math.max(this.probsKeys || 0, rows);
      this.probsAxis.major_label_overrides = new Map(Array.from({ length: this.probsKeys },
        (_, j) => [j, new this.PlainText({ text: j < rows ? names[j] : "" })]));
    }

    cmax = cellLimit(cmax);
    for (const mapper of this.cmapC) mapper.setv({ low: -cmax, high: cmax }); // image and colour bar

    this.xRange.setv({ start: -0.5, end: Math.max(T, 1) - 0.5 });
    for (const fig of this.heat) fig.y_range.setv({ start: -0.5, end: H - 0.5 });
    this.w.unit.options = Array.from({ length: H }, (_, u) => [String(u), `unit ${u}`]);
    this.w.layer.options = Array.from({ length: tr.L }, (_, l) => [String(l), `layer ${l}`]);
    this.w.layer.disabled = tr.L < 2;
    this.drawUnit(tr, layer, unit);
  }

  drawUnit(tr, layer, unit) {
    const lines = { t: [], token: [...tr.tokens], f: [], i: [], o: [], c: [], h: [] };
    let lo = -1, hi = 1;
    for (let t = 0; t < tr.T; t++) {
      lines.t.push(t);
      for (const k of ["f", "i", "o", "c", "h"]) {
        const v = at(tr, k, layer, t, unit);
        lines[k].push(v);
        lo = Math.min(lo, v); hi = Math.max(hi, v);
      }
    }
    this.src.unit.data = lines;
    // in whole halves (gates and h stay in -1..1): a retrace rarely changes the range, and so
    // rarely repaints the plot's axes (see page.py)
    this.unitFig.y_range.setv({ start: Math.floor(lo * 2) / 2 - 0.05, end: Math.ceil(hi * 2) / 2 + 0.05 });
    this.unitFig.title.text = `unit ${unit}${tr.L > 1 ? ` of layer ${layer}` : ""} over time: f, i, o, C and h`;
  }

  drawStep(t, T) {
    for (const c of this.cursors) c.place(t);
    const scrub = this.w.scrub;
    scrub.setv({ end: Math.max(T - 1, 1), value: t, disabled: T < 2 });
  }
}

// ---- controller ------------------------------------------------------------------------------
class Controller extends EventTarget {
  // events: "trace" (a new trace is drawn), "step" (t moved), "unit" (unit or layer changed)
  constructor(boot) {
    super();
    this.boot = boot;
    this.builtin = new Set(Object.keys(boot.presets)); // the presets every new worker has
    this.kept = new Map(); // name -> .npz bytes of the models the page made (files, training)
    this.clamps = [];      // interventions: [{gate, value, layer, unit, t0, t1}], sent with every trace
    this.trace = traceFromJson(boot.trace);
    this.text = boot.text;
    this.preset = boot.preset;
    this.t = this.trace.T - 1;
    this.layer = 0;
    this.unit = 0;
    this.timer = null;
    this.seq = 0;          // the latest text request; older answers are dropped
    this.queued = null;    // text typed before Python was ready
    this.isReady = false;
    this.status = new Status();
    this.bridge = new Bridge({
      progress: (msg) => this.status.progress(msg),
      ready: (msg) => this.onReady(msg),
      fatal: (reason) => this.onFatal(reason),
    });
    this.ready = this.bridge.ready.then(() => undefined);
  }

  attach(views) {
    this.views = views;
    this.redraw();
  }

  // -- drawing
  redraw() {
    this.views.drawTrace(this.trace, this.layer, this.unit);
    this.views.drawStep(this.t, this.trace.T);
    this.emit("trace");
  }

  emit(name) { this.dispatchEvent(new Event(name)); }

  // -- Python
  onReady(msg) {
    this.isReady = true;
    this.python = { boot: msg.boot, ms: msg.ms }; // boot: "fresh", or "snapshot" (worker.js)
    this.status.ready(msg);
    if (msg.info && msg.info.name !== this.preset) this.bringBack(this.preset, msg.info);
    else if (msg.info) this.showModelInfo(msg.info);
    if (this.queued !== null) {
      const { text, done } = this.queued;
      this.queued = null;
      this.retrace(text).then(done.resolve, done.reject);
    }
  }

  /** Keep a model's file, so that a restarted worker can be given it back (bringBack). */
  keep(name, bytes) {
    this.kept.set(name, bytes);
  }

  // A restarted worker starts with the default model: bring back the one on screen, a preset or
  // a model the page made (its kept file). The worker answers in order, so the trace queued by
  // onReady already uses it. A model that cannot come back is said so, and the default is shown.
  // The queued trace (restart() always queues one) then redraws the views with that model.
  bringBack(name, current) {
    const bytes = this.kept.get(name);
    const call = this.builtin.has(name) ? this.bridge.call("set_preset", name)
      : bytes ? this.bridge.call("restore_model", bytes, name) : null;
    const lost = (why) => { // the worker keeps its default model: the menu and status say so
      this.showModelInfo(current);
      showMessage(`The model \u201c${name}\u201d was lost when Python stopped${why ? ` (${why})` : ""}: ` +
                  `the trace shown is of ${current.name} again.`);
    };
    if (!call) return lost("");
    call.then((info) => this.showModelInfo(info), (err) => lost(err.message));
  }

  /** Name the worker's current model everywhere but the views: the Model menu (listing it if
   *  new, without triggering a switch), the status line, the article's buttons. */
  showModelInfo(info) {
    const name = info.name;
    this.preset = name;
    if (this.views) {
      const sel = this.views.w.preset;
      const values = sel.options.map((o) => (Array.isArray(o) ? o[0] : o));
      this.guard = true;
      try {
        if (!values.includes(name)) sel.options = [...sel.options, name];
        if (sel.value !== name) sel.value = name;
      } finally { this.guard = false; }
      this.views.showArticle(Boolean(info.article));
    }
    this.status.model(info);
  }

  onFatal(reason) {
    this.isReady = false;
    this.status.failed(reason);
    showError(`${reason}. The trace on screen stays; press Retry to start Python again.`,
      () => this.restart());
  }

  restart() {
    hideError();
    this.emit("restart"); // features whose state lived in the stopped worker forget it
    this.status.loading();
    if (this.queued === null) { // trace again what was asked last (a crash may have cut it short)
      const noop = () => {};
      this.queued = { text: this.wanted ?? this.text, done: { resolve: noop, reject: noop } };
    }
    this.bridge.restart();
    this.ready = this.bridge.ready.then(() => undefined);
  }

  // -- actions (each returns a promise that resolves once the views show the result)
  setText(text) {
    text = String(text ?? "");
    if (this.views.w.text.value_input !== text) {
      this.guard = true;
      this.views.w.text.setv({ value: text, value_input: text });
      this.guard = false;
    }
    return this.retrace(text);
  }

  retrace(text) {
    const seq = ++this.seq;
    if (!text.trim()) {
      const msg = "Type at least one word: the text is empty. The last trace stays on screen.";
      showMessage(msg);
      return Promise.reject(Object.assign(new Error(msg), { user: true }));
    }
    this.wanted = text; // the text asked for last (Retry traces it again after a crash)
    if (!this.isReady) {
      if (this.queued) this.queued.done.reject(Object.assign(new Error("superseded by newer text"), { superseded: true }));
      let done;
      const p = new Promise((resolve, reject) => { done = { resolve, reject }; });
      this.queued = { text, done };
      showMessage(this.bridge.failed
        ? "Python is not running: your text is queued and will be traced once Retry has started it again."
        : "Python is still loading: your text is queued and will be traced as soon as it is ready.");
      return p;
    }
    return this.bridge.call("trace", text, this.clamps).then(async (result) => {
      if (seq !== this.seq) throw Object.assign(new Error("superseded by newer text"), { superseded: true });
      this.show(result, text);
      if (this.trace.notice) showMessage(this.trace.notice);
      else hideMessage();
      hideError();
      await afterPaint();
    }, (err) => {
      if (seq === this.seq && !err.fatal) {
        if (err.user) showMessage(`${err.message} The last trace stays on screen.`);
        else showError(`pysim failed on this text: ${err.message}`, () => this.retrace(text));
      }
      throw err;
    });
  }

  /** Draw a worker's trace of `text` (the current model's). */
  show(result, text) {
    this.pause();
    this.trace = traceFromWorker(result);
    this.text = text;
    this.t = this.trace.T - 1;
    this.unit = Math.min(this.unit, this.trace.H - 1);
    this.layer = Math.min(this.layer, this.trace.L - 1);
    this.redraw();
  }

  // The one way the page changes model (setPreset, a loaded file, training): the worker has made
  // model `info` current; trace `text` with it and only then show it everywhere at once: views,
  // Model menu, status line, article buttons, text box (`box`: what it holds, with `prompt` as
  // its placeholder) and so pysim.state(). If the trace fails the worker goes back to the model
  // on screen, and nothing on the page changes. Clamps naming a layer or unit the model lacks
  // are dropped (said in the message).
  // own: `text` is the model's own (a file's example, a new training run's text): setPreset
  // shows it again when the model comes back and cannot read the text on screen. shown(): what
  // the caller changes with them (e.g. a report), called in the same task.
  async adopt(info, text, { box = text, prompt = "", note = "", own = false, shown = null } = {}) {
    const seq = ++this.seq; // answers to earlier texts are of the old model: dropped
    const fits = (c) => c.layer < info.layers && (c.unit === null || c.unit < info.hidden);
    const clamps = this.clamps.filter(fits);
    let result;
    try {
      result = await this.bridge.call("trace", text, clamps);
    } catch (err) {
      if (!err.fatal && info.name !== this.preset) {
        await this.bridge.call("set_preset", this.preset).catch(() => {});
      }
      throw err;
    }
    const dropped = this.clamps.length - clamps.length;
    this.clamps = clamps;
    this.showModelInfo(info);
    if (own || !this.boot.presets[info.name]) this.boot.presets[info.name] = { text, prompt };
    this.boot.presets[info.name].description = info.description;
    const w = this.views.w.text;
    this.guard = true;
    try {
      w.setv({ value: box, value_input: box, placeholder: prompt });
    } finally { this.guard = false; }
    if (seq === this.seq) this.wanted = text;
    this.show(result, text);
    if (shown) shown();
    const notes = [prompt && `${prompt}.`, note, this.trace.notice,
      dropped && `${dropped} clamp${dropped > 1 ? "s" : ""} named a layer or unit this model lacks: dropped.`];
    if (notes.some(Boolean)) showMessage(notes.filter(Boolean).join(" "));
    else hideMessage();
    hideError();
    await afterPaint();
    return info;
  }

  async setPreset(name) {
    if (!this.boot.presets[name]) throw new Error(`unknown preset ${name}`);
    await this.bridge.ready;
    const info = await this.bridge.call("set_preset", name).catch((err) => {
      const bytes = this.kept.get(name); // a model the page made, unknown to a restarted worker
      if (!bytes || err.fatal) throw err;
      return this.bridge.call("restore_model", bytes, name);
    });
    // the text on screen stays, unless it is the old model's own text; a model that cannot
    // read it (no unknown-word token) shows its own text instead
    const { text: own, prompt = "" } = this.boot.presets[name]; // prompt: see modelfile.js
    const ownView = (i) => this.adopt(i, own, prompt ? { box: "", prompt } : {});
    const wasDefault = this.text === this.boot.presets[this.preset].text;
    if (wasDefault || this.text === own) return ownView(info);
    return this.adopt(info, this.text).catch((err) => {
      if (err.fatal || !err.user) throw err;
      return this.bridge.call("set_preset", name).then(ownView);
    });
  }

  seek(t) {
    const T = this.trace.T;
    this.t = Math.max(0, Math.min(T - 1, Math.round(Number(t) || 0)));
    this.views.drawStep(this.t, T);
    // "step" listeners (the cell diagram re-lays out a Div: ~10-30 ms) run once per frame,
    // however many steps the frame saw; they have run by the time the returned promise resolves
    if (!this.stepFrame) {
      this.stepFrame = requestAnimationFrame(() => { this.stepFrame = 0; this.emit("step"); });
    }
    return afterPaint();
  }

  step(n = 1) { return this.seek(this.t + Number(n)); }

  play({ loop = false } = {}) {
    if (this.timer) return;
    if (this.t >= this.trace.T - 1) this.seek(0);
    const tick = () => {
      if (this.t >= this.trace.T - 1) {
        if (loop) { this.seek(0); return; }
        this.pause();
        return;
      }
      this.step(1);
    };
    this.timer = setInterval(tick, 1000 / this.speed());
    this.setPlayButton(true);
  }

  pause() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.setPlayButton(false);
  }

  speed() { return Math.max(0.5, Number(this.views.w.speed.value) || 2); }

  setPlayButton(on) {
    const b = this.views.w.play;
    this.guard = true;
    b.setv({ active: on, label: on ? "\u275a\u275a Pause" : "\u25b6 Play" });
    this.guard = false;
  }

  setUnit(u) {
    this.unit = Math.max(0, Math.min(this.trace.H - 1, Number(u) || 0));
    this.views.drawUnit(this.trace, this.layer, this.unit);
    this.guard = true;
    this.views.w.unit.value = String(this.unit);
    this.guard = false;
    this.emit("unit");
  }

  setLayer(l) {
    this.layer = Math.max(0, Math.min(this.trace.L - 1, Number(l) || 0));
    this.redraw();
    this.emit("unit");
  }

  state() {
    return { ...traceToJson(this.trace), t: this.t, unit: this.unit, layer: this.layer,
             preset: this.preset, text: this.text, ready: this.isReady,
             clamps: this.clamps.map((c) => ({ ...c })) };
  }
}

// ---- status, messages and errors (plain DOM, text only: never HTML) ---------------------------
class Status {
  constructor() {
    this.el = byId("pysim-status");
    this.text = byId("pysim-status-text");
    this.note = byId("pysim-model-note");
    this.loading();
  }

  loading() {
    this.el.className = "";
    this.text.textContent = "Loading Python (Pyodide + numpy) in the background. The trace shown was computed when the site was built.";
  }

  progress({ loaded, total, file }) {
    const mb = (b) => (b / 1e6).toFixed(1);
    const of = total ? ` of ${mb(total)} MB` : " MB";
    this.text.textContent = `Loading Python (Pyodide + numpy): ${mb(loaded)}${of} \u2014 ${file}. The trace shown was computed when the site was built.`;
  }

  ready({ ms, info, boot }) {
    this.el.className = "ready";
    const how = boot === "snapshot" ? " (restored from the copy this browser kept of your last visit)" : "";
    this.text.textContent = `Python ready in ${(ms / 1000).toFixed(1)} s${how}: every trace is now computed live in your browser.`;
    if (info) this.model(info);
  }

  model(info) {
    this.note.textContent = `${info.name}: ${info.layers} layer${info.layers > 1 ? "s" : ""} \u00d7 ${info.hidden} units. ${info.description}`;
  }

  failed(reason) {
    this.el.className = "failed";
    this.text.textContent = `Python is not running: ${reason}`;
  }
}

function showMessage(text) {
  const el = byId("pysim-message");
  el.textContent = text;
  el.hidden = false;
}

function hideMessage() { byId("pysim-message").hidden = true; }

let retryAction = null;
function showError(text, retry) {
  byId("pysim-error-text").textContent = text;
  byId("pysim-error").hidden = false;
  retryAction = retry;
  byId("pysim-retry").hidden = !retry;
}

function hideError() { byId("pysim-error").hidden = true; }

// ---- widgets and keyboard ---------------------------------------------------------------------
function wire(ctl, views) {
  const w = views.w;
  const on = (model, prop, fn) => model.property(prop).change.connect(() => { if (!ctl.guard) fn(model[prop]); });
  const quiet = (p) => p.catch(() => {}); // failures are shown on the page already
  let debounce = null;
  on(w.text, "value_input", (v) => {
    clearTimeout(debounce);
    debounce = setTimeout(() => quiet(ctl.retrace(v)), 150);
  });
  on(w.text, "value", (v) => { clearTimeout(debounce); quiet(ctl.retrace(v)); });
  on(w.scrub, "value", (v) => { if (v !== ctl.t) ctl.seek(v); });
  on(w.unit, "value", (v) => ctl.setUnit(v));
  on(w.layer, "value", (v) => ctl.setLayer(v));
  // a switch that fails leaves the page on its model: the menu names it again
  on(w.preset, "value", (v) => quiet(ctl.setPreset(v).catch((err) => {
    ctl.guard = true;
    try { w.preset.value = ctl.preset; } finally { ctl.guard = false; }
    throw err;
  })));
  on(w.speed, "value", () => { if (ctl.timer) { ctl.pause(); ctl.play(); } });
  on(w.play, "active", (a) => (a ? ctl.play() : ctl.pause()));
  w.back.on_event("button_click", () => ctl.step(-1));
  w.forward.on_event("button_click", () => ctl.step(1));
  w.reset.on_event("button_click", () => { ctl.pause(); ctl.seek(0); });
  w.article_0.on_event("button_click", () => quiet(ctl.setText(ctl.boot.article[0])));
  w.article_1.on_event("button_click", () => quiet(ctl.setText(ctl.boot.article[1])));
  byId("pysim-retry").addEventListener("click", () => { const f = retryAction; hideError(); if (f) quiet(Promise.resolve(f())); });
  byId("pysim-error-close").addEventListener("click", hideError);
  document.addEventListener("keydown", (ev) => {
    const tag = (ev.composedPath()[0] || {}).tagName || "";
    if (/INPUT|TEXTAREA|SELECT|BUTTON/.test(tag) || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const keys = {
      ArrowLeft: () => ctl.step(-1), ArrowRight: () => ctl.step(1),
      Home: () => ctl.seek(0), End: () => ctl.seek(ctl.trace.T - 1),
      " ": () => (ctl.timer ? ctl.pause() : ctl.play()),
    };
    if (keys[ev.key]) { ev.preventDefault(); keys[ev.key](); }
  });
}

// ---- start, and the automation API ------------------------------------------------------------
// a module script runs once the page is parsed: the worker starts first (in the Controller),
// then the prerendered trace is drawn as pictures, then BokehJS builds the views in their place
const ctl = new Controller(bootData());
if (new URLSearchParams(location.search).has("embed")) document.body.classList.add("embed");
const preview = drawPreview(byId("pysim-stage"), ctl.boot);
const items = JSON.parse(byId("pysim-doc").textContent); // {main, panels}: web/page.py
const drawn = (async () => {
  await afterPaint();
  performance.mark("pysim:preview"); // the prerendered trace is on screen
  await loadScripts(ctl.boot.bokeh);
  await window.Bokeh.embed.embed_item(items.main, "pysim-root");
  const views = new Views();
  ctl.attach(views);
  wire(ctl, views);
  await afterPaint();
  preview.remove();
  performance.mark("pysim:drawn"); // the interactive views (BokehJS) are on screen
  return views;
})();
// the feature tabs (web/panels/, web/features/): embedded once the main views are on screen
const featured = drawn.then(async (views) => {
  await window.Bokeh.embed.embed_item(items.panels, "pysim-panels");
  const ctx = { ctl, views, m: model, bridge: ctl.bridge, afterPaint, showMessage, hideMessage,
                showError, at, traceToJson };
  for (const feature of FEATURES) Object.assign(window.pysim, feature.install(ctx) || {});
});
for (const p of [drawn, featured]) {
  p.catch((err) => showError(`the page could not be drawn: ${err.message}`, () => location.reload()));
}
const drawnApi = drawn.then(() => undefined);
drawnApi.catch(() => {}); // shown on the page above; a caller awaiting it sees the error too

window.pysim = {
  drawn: drawnApi,
  // ready: Python can trace typed text, every feature is installed, and the state from the URL
  // (if any) is restored (a getter: after Retry has restarted a failed Python, it is the new
  // start's promise)
  get ready() { return Promise.all([ctl.ready, featured]).then(() => ctl.restored).then(() => undefined); },
  setText: async (text) => { await drawn; return ctl.setText(text); },
  setPreset: async (name) => { await drawn; return ctl.setPreset(name); },
  step: async (n = 1) => { await drawn; return ctl.step(n); },
  seek: async (t) => { await drawn; return ctl.seek(t); },
  play: async (opts) => { await drawn; ctl.play(opts); },
  pause: async () => { await drawn; ctl.pause(); },
  setUnit: async (u) => { await drawn; ctl.setUnit(u); return afterPaint(); },
  state: () => ctl.state(),
  model, // (name) -> the page's BokehJS model of that name, for tests that look at the views
  python: () => ctl.python ?? null, // {boot: "fresh" | "snapshot", ms} once Python is ready
  memory: async () => { await ctl.ready; return ctl.bridge.request("memory", {}); }, // {wasm, objects}
};

// ---- offline: a service worker (sw.js) keeps this build for repeat visits and offline use ----
// Registered once Python is ready, so that a first visit loads every file once (see sw.js).
function keepOffline() {
  if (!("serviceWorker" in navigator)) return; // not a secure context: the site just stays online
  const sw = navigator.serviceWorker;
  if (sw.controller) { // this page came from the cache: say so when a newer build takes over
    sw.addEventListener("controllerchange", () =>
      showMessage("A new version of pysim has been installed: reload the page to use it."), { once: true });
  }
  window.pysim.ready.then(() => sw.register(new URL("sw.js", import.meta.url)))
    .catch(() => {}); // without it, only repeat visits from the cache and offline use are lost
}
keepOffline();
