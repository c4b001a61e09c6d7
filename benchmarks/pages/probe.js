// Benchmark probe: injected by benchmarks/run.py into every page of a browser context
// (Playwright add_init_script), before any of the page's own scripts run. It only observes:
//   - window.pysim: records performance.now() when pysim.drawn and pysim.ready resolve
//   - the main thread's long tasks (> 50 ms: PerformanceObserver "longtask"), [start, duration]
//   - Worker: when the first one is created and first speaks (its boot has begun: it reports
//     load progress from its first fetch), when each request is posted and answered, and the
//     worker's own `ms`
// and adds window.__bench with the in-page measurement loops (steps, retraces).
// Nothing here changes what the page does.
(() => {
  if (window.__bench) return;
  const B = (window.__bench = { drawnAt: null, readyAt: null, readyError: null, workerReady: null,
                                posted: new Map(), replies: new Map() });
  const now = () => performance.now();
  B.longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) B.longTasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch { /* a browser without the long tasks API: none recorded */ }

  // ---- pysim.drawn / pysim.ready, timed inside the page ----------------------------------------
  let api;
  Object.defineProperty(window, "pysim", {
    configurable: true,
    enumerable: true,
    get() { return api; },
    set(v) {
      api = v;
      if (v && v.drawn && typeof v.drawn.then === "function") v.drawn.then(() => { B.drawnAt ??= now(); }, () => {});
      if (v && v.ready && typeof v.ready.then === "function") {
        v.ready.then(() => { B.readyAt ??= now(); }, (e) => { B.readyError = String(e && e.message || e); });
      }
    },
  });

  // ---- the worker bridge: post and reply times per request id ----------------------------------
  const RealWorker = window.Worker;
  if (RealWorker) {
    window.Worker = class extends RealWorker {
      constructor(...args) {
        B.workerCreatedAt ??= now();
        super(...args);
        // registered before the page sets onmessage, so it runs first for every message
        this.addEventListener("message", (ev) => {
          const d = ev.data || {};
          B.workerFirstMessageAt ??= now();
          if (d.type === "ready") B.workerReady = { ms: d.ms, at: now() };
          else if (d.id !== undefined && B.posted.has(d.id)) {
            const r = { at: now(), ok: d.ok, ms: d.result && typeof d.result.ms === "number" ? d.result.ms : null,
                        paintedAt: null };
            B.replies.set(d.id, r);
            // the page redraws in the microtasks that follow this event: the end of the next
            // frame is when the new trace is on screen
            afterFrame().then((f) => { r.paintedAt = f.at; });
          }
        });
      }

      postMessage(msg, transfer) {
        if (msg && msg.id !== undefined) {
          const kind = msg.cmd === "call" ? msg.method : msg.cmd;
          B.posted.set(msg.id, { at: now(), kind });
        }
        return super.postMessage(msg, transfer);
      }
    };
  }

  // ---- frames ----------------------------------------------------------------------------------
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  // resolves with {at: performance.now(), start: the frame's start time} once the next frame has
  // been rendered on the main thread:
  // a message posted from a requestAnimationFrame callback is handled after that frame's
  // rAF callbacks (BokehJS paints its canvases there), style, layout, paint and commit
  function afterFrame() {
    return new Promise((resolve) => requestAnimationFrame((ts) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => resolve({ at: now(), start: ts });
      ch.port2.postMessage(null);
    }));
  }
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  // start an action at a random point of a frame, as a key press would
  const randomPhase = async () => { await frame(); await sleep(Math.random() * 16); };
  B.afterFrame = afterFrame;

  // ---- steps: call -> next frame rendered ---------------------------------------------------------
  B.steps = async (n) => {
    const T = window.pysim.state().tokens.length;
    const out = [];
    let t = 0;
    await window.pysim.seek(0);
    await sleep(50);
    for (let k = 0; k < n; k++) {
      if (t >= T - 1) { await window.pysim.seek(0); t = 0; await sleep(50); }
      await randomPhase();
      const t0 = now();
      const p = window.pysim.step(1);
      const painted = afterFrame();
      for (let i = 0; i < 4; i++) await null; // the step's synchronous part runs in these ticks
      const sync = now() - t0;
      const f = await painted;
      await p;
      const t2 = now();
      // painted: call -> next frame rendered; sync: the step's own JS; frame: that frame's main-
      // thread rendering (BokehJS paint + style/layout/paint); api: until pysim.step resolves
      out.push({ painted: f.at - t0, sync, frame: f.at - Math.max(f.start, t0 + sync), api: t2 - t0 });
      t += 1;
    }
    return out;
  };

  // ---- retraces: setText -> worker -> views -> painted -----------------------------------------------
  B.retraces = async (texts) => {
    const out = [];
    for (const text of texts) {
      await randomPhase();
      const before = new Set(B.posted.keys());
      const t0 = now();
      await window.pysim.setText(text);
      const t1 = now();
      let id = null;
      for (const [k, v] of B.posted) if (!before.has(k) && v.kind === "trace") id = k;
      const post = id !== null ? B.posted.get(id) : null;
      const reply = id !== null ? B.replies.get(id) : null;
      if (reply && reply.paintedAt === null) await sleep(0);
      out.push({
        api: t1 - t0,                                         // until pysim.setText resolves
        painted: reply && reply.paintedAt ? reply.paintedAt - t0 : null,
        worker: reply ? reply.ms : null,                      // Python time inside the worker
        roundtrip: reply && post ? reply.at - post.at : null, // post -> reply, worker time included
        view: reply && reply.paintedAt ? reply.paintedAt - reply.at : null, // reply -> painted
      });
    }
    return out;
  };
})();
