// Training in the browser (web/panels/train.py). pysim's Trainer lives in the worker
// (Session.train_setup / train_chunk, pysim/live.py); this module calls train_chunk again and
// again, a few updates at a time, so the worker still answers traces in between and Pause takes
// effect as soon as the chunk in flight returns (~0.1 s). After each chunk the current sentence
// is traced again, so the views above show the gates of the model as it learns.

import { t } from "../i18n.js";
import { quiet } from "../util.js";
import { on } from "../widgets.js";
import { download, safeName } from "./common.js";

const CHUNK_MS = 150;          // aim for chunks of about this much training (pause latency)
const EVAL_EVERY_S = 0.3;      // held-out evaluation after this much training time
const pct = (x) => `${(100 * x).toFixed(1)}%`;

let pauseHook = async () => {};
/** Pause training if it runs (other features call this before they change the model). */
export const pauseTraining = () => pauseHook();

export function install(ctx) {
  const { ctl, m, bridge, tabs, showMessage } = ctx;
  // pysim.live.MAX_CHUNK, and the learning rates proposed per optimizer (web/constants.py)
  const { max_chunk: MAX_CHUNK, default_lr: DEFAULT_LR } = ctl.boot.constants;
  const w = Object.fromEntries(["train_task", "train_optimizer", "train_lr", "train_start",
    "train_pause", "train_reset", "train_download", "train_status", "train_sentence", "train_add",
    "train_remove", "train_clear", "train_sentences"].map((k) => [k.slice(6), m(k)]));
  const curve = m("train_curve"), held = m("train_heldout");
  const xRanges = [m("train_loss_fig_x"), m("train_acc_fig_x")], lossY = m("train_loss_fig_y");

  let status = null;        // the last status from Python (null: no model trained yet)
  let run = null;           // {stop, done} while the loop runs
  let chunk = 5;            // updates per call, adapted to CHUNK_MS
  let history = { records: [], heldOut: [], chunks: [] };

  // ---- display
  const say = (text) => { w.status.text = text; };

  function describe(st, extra = "") {
    if (!st || !st.name) return t("train.not_started");
    const rec = history.records[history.records.length - 1];
    const parts = [t("train.at_step", { name: st.name, steps: st.steps }), t("train.seconds", { s: st.seconds.toFixed(1) })];
    if (rec) parts.push(t("train.last", { loss: rec.loss.toFixed(4), accuracy: pct(rec.accuracy) }));
    if (st.held_out) {
      const last = history.heldOut.at(-1);
      const where = t(st.held_out_is_train ? "train.on_yours" : "train.held_out") +
        (last && last.step !== st.steps ? t("train.at_step_short", { step: last.step }) : "");
      parts.push(t("train.held", { where, accuracy: pct(st.held_out.accuracy), tokens: st.held_out.tokens,
                                   sentences: pct(st.held_out.sentence_accuracy), examples: st.held_out.examples }));
    }
    return parts.join(" \u00b7 ") + (extra ? `. ${extra}` : ".");
  }

  function drawCurves() {
    // one point per chunk (the chunk's mean): the curve stays light however long training runs
    const c = history.chunks, h = history.heldOut;
    curve.data = { step: c.map((x) => x.step), loss: c.map((x) => x.loss), accuracy: c.map((x) => x.accuracy) };
    held.data = { step: h.map((x) => x.step), loss: h.map((x) => x.loss), accuracy: h.map((x) => x.accuracy) };
    const last = Math.max(10, ...c.map((x) => x.step), ...h.map((x) => x.step));
    for (const r of xRanges) r.setv({ start: 0, end: last });
    const losses = [...c.map((x) => x.loss), ...h.map((x) => x.loss)].filter((x) => x > 0 && Number.isFinite(x));
    if (losses.length) {
      lossY.setv({ start: 10 ** Math.floor(Math.log10(Math.min(...losses))),
                   end: 10 ** Math.ceil(Math.log10(Math.max(...losses, 1.01))) });
    }
  }

  function listSentences(st) {
    const s = (st && st.sentences) || [];
    w.sentences.text = s.length
      ? `${t("train.sentences", { n: s.length })}\n` + s.map((x, k) => `${k + 1}. ${x}`).join("\n")
      : t("train.no_sentences");
  }

  function buttons() {
    const running = run !== null;
    w.start.disabled = running;
    w.pause.disabled = !running;
    w.download.disabled = !(status && status.name);
    w.start.label = t(running ? "train.training"
      : status && status.name && status.task === w.task.value && status.steps > 0
        ? "train.continue" : "train.start");
  }

  function options() {
    const lr = String(w.lr.value).trim();
    return { optimizer: w.optimizer.value, lr: lr === "" ? null : Number(lr) };
  }

  // ---- Python calls
  /** The model as trained so far, kept by the page: a restarted worker gets it back (controller.js). */
  let kept = null; // {name, steps} of the model last kept
  async function keepModel() {
    if (!status || !status.name) return;
    const { name, steps } = status;
    ctl.keep(name, await bridge.call("train_export"));
    kept = { name, steps };
  }

  async function setup(opts) {
    await pauseTraining();
    await bridge.need("training");
    status = await bridge.call("train_setup", opts);
    history = { records: [], heldOut: [], chunks: [] };
    drawCurves();
    listSentences(status);
    buttons();
    say(describe(status, t("train.fresh")));
    await keepModel();
    await ctl.adopt(status.info, ctl.text, { own: true }); // views, menu and status together
    return status;
  }

  function record(res) {
    const recs = res.records || [];
    if (res.steps < (history.records.at(-1) || { step: 0 }).step) { // divergence rolled back
      history.records = history.records.filter((r) => r.step <= res.steps);
      history.chunks = history.chunks.filter((c) => c.step <= res.steps);
      history.heldOut = history.heldOut.filter((h) => h.step <= res.steps);
    }
    history.records.push(...recs);
    if (recs.length) {
      const mean = (k) => recs.reduce((s, r) => s + r[k], 0) / recs.length;
      history.chunks.push({ step: recs.at(-1).step, loss: mean("loss"), accuracy: mean("accuracy") });
    }
    if (res.evaluated && res.held_out && (!history.heldOut.length || history.heldOut.at(-1).step !== res.steps)) {
      history.heldOut.push({ step: res.steps, ...res.held_out });
    }
    drawCurves();
  }

  /** The training loop: chunks until paused, diverged, `steps` more updates, or held-out accuracy
   *  >= until. Resolves with why it stopped. The trace of the current sentence is requested just
   *  before each chunk, so the page draws it while the worker trains. */
  async function loop({ steps = Infinity, until = null } = {}) {
    const me = { stop: false };
    run = me;
    buttons();
    const first = status.steps;
    let why = "paused";
    let evalAt = status.held_out ? status.seconds : -Infinity; // training seconds at the last evaluation
    const shown = () => ctl.preset === status.name;
    const retrace = () => (shown() ? ctl.retrace(ctl.text).catch(() => {}) : Promise.resolve());
    me.done = (async () => {
      try {
        if (!shown()) await ctl.setPreset(status.name); // train the model shown: show it again
        while (!me.stop) {
          const left = first + steps - status.steps;
          if (left <= 0) { why = "steps"; break; }
          const n = Math.min(chunk, left);
          const evaluate = n === left || status.seconds - evalAt >= EVAL_EVERY_S;
          const tracing = retrace(); // the model as of the previous chunk
          const res = await bridge.call("train_chunk", n, { ...options(), evaluate });
          await tracing;
          // size the next chunk to ~CHUNK_MS of training (pause latency)
          const ms = 1000 * res.chunk_seconds / Math.max(res.records.length, 1);
          chunk = Math.max(1, Math.min(MAX_CHUNK, Math.round(CHUNK_MS / Math.max(ms, 0.1))));
          status = res;
          if (res.evaluated) evalAt = res.seconds;
          record(res);
          if (shown()) ctl.refreshModel(res.info);
          if (res.diverged) { why = "diverged"; break; }
          say(describe(res));
          if (until !== null && res.evaluated && res.held_out && res.held_out.accuracy >= until) {
            why = "reached";
            break;
          }
        }
        if (why === "paused" && status.evaluated === false) {
          // a last held-out evaluation, without any update (0 steps), so the numbers are current
          status = await bridge.call("train_chunk", 0, { ...options(), evaluate: true });
          record(status);
        }
        await retrace(); // the views show the model as training left it
        await keepModel();
        if (why === "diverged") showMessage(status.diverged);
      } catch (err) {
        why = "error";
        say(t("train.stopped", { reason: err.message }));
        if (!err.user) throw err;
      } finally {
        run = null;
        buttons();
        if (why !== "error") {
          const note = { paused: me.note || t("train.paused"), diverged: status.diverged, steps: "",
                         reached: t("train.reached", { p: pct(until ?? 1) }) }[why];
          say(describe(status, note));
        }
      }
      return why;
    })();
    return me.done;
  }

  async function pause() {
    if (!run) return;
    run.stop = true;
    await run.done.catch(() => {});
  }
  pauseHook = pause;

  async function start(opts = {}) {
    await bridge.need("training");
    const t0 = performance.now(); // seconds: from here (a fresh model's setup included) to the stop
    const task = opts.task ?? w.task.value;
    if (opts.task) w.task.value = opts.task;
    if (opts.optimizer) w.optimizer.value = opts.optimizer;
    if (opts.lr !== undefined && opts.lr !== null) w.lr.value = String(opts.lr);
    await pause();
    if (opts.reset || !status || !status.name || status.task !== task) {
      await setup({ task, ...options(), seed: opts.seed ?? 0 });
    }
    const steps0 = status.steps;
    const why = await loop({ steps: opts.steps ?? Infinity, until: opts.until ?? null });
    return { records: history.records.filter((r) => r.step > steps0), heldOut: [...history.heldOut],
             steps: status.steps, seconds: (performance.now() - t0) / 1000, stopped: why,
             diverged: status.diverged || "", name: status.name };
  }

  // Python restarted (Retry after a crash): the training run lived in the stopped worker. The
  // model as of its last pause comes back as the current model (controller.js); Start trains afresh.
  ctl.addEventListener("restart", () => {
    if (!status || !status.name) return;
    const back = kept && kept.name === status.name
      ? t("train.back", { name: kept.name, steps: kept.steps }) : t("train.lost");
    status = null;
    listSentences(null);
    buttons();
    say(t("train.restarted", { back }));
  });

  // ---- widgets
  const said = (p) => quiet(p, (err) => { if (!err.superseded) say(err.message); });
  w.start.on_event("button_click", () => said(start()));
  w.pause.on_event("button_click", () => said(pause()));
  w.reset.on_event("button_click", () => said(setup({ task: w.task.value, ...options() })));
  w.download.on_event("button_click", () => said((async () => {
    const bytes = await bridge.call("train_export");
    download(bytes, `pysim-${safeName(status.name)}-step${status.steps}.npz`);
  })()));
  w.optimizer.property("value").change.connect(() => {
    const other = w.optimizer.value === "adam" ? "sgd" : "adam";
    if (String(w.lr.value).trim() === DEFAULT_LR[other]) w.lr.value = DEFAULT_LR[w.optimizer.value];
  });
  w.task.property("value").change.connect(() => {
    buttons();
    if (status && status.name && status.task !== w.task.value) {
      said(pause().then(() => say(describe(status, t("train.fresh_task", { task: w.task.value })))));
    }
  });
  // the user picks another model in the page's Model menu: training pauses at once
  on(ctx.views.w.preset, "value", (name) => {
    if (run && status && name !== status.name) {
      run.stop = true;
      run.note = t("train.paused_other");
    }
  });

  async function addSentence(text) {
    await bridge.need("training");
    const st = await bridge.call("train_add", text, w.task.value);
    listSentences(st);
    if (status) status = { ...status, sentences: st.sentences };
    return st.sentences;
  }
  w.add.on_event("button_click", () => {
    addSentence(w.sentence.value_input ?? w.sentence.value).then(() => {
      w.sentence.setv({ value: "", value_input: "" });
    }, (err) => say(t("train.not_added", { reason: err.message })));
  });
  w.remove.on_event("button_click", () => said(bridge.call("train_remove", -1).then(listSentences)));
  w.clear.on_event("button_click", () => said(bridge.call("train_remove", "all").then(listSentences)));
  // opening the tab generates the task's corpus in the worker, so Start does not wait for it
  const prepare = () => {
    if (tabs.isOpen("panel_train") && ctl.isReady && !run) quiet(bridge.call("train_status", w.task.value));
  };
  tabs.onOpen("panel_train", prepare);
  w.task.property("value").change.connect(prepare);
  buttons();

  return {
    /** Train: {task, steps, lr, optimizer, until (held-out accuracy to stop at), reset, seed}.
     *  A new task (or reset) starts a fresh model; otherwise training continues. Resolves when
     *  it stops: {records, heldOut, steps, seconds, stopped, diverged, name}. */
    train: (opts) => start(opts || {}),
    pauseTraining: () => pause(),
    resetTraining: (opts = {}) => setup({ task: opts.task ?? w.task.value, ...options(), ...opts }),
    addTrainingSentence: (text) => addSentence(text),
    trainingStatus: () => ({ running: run !== null, ...(status || {}), records: [...history.records],
                             heldOut: [...history.heldOut] }),
  };
}
