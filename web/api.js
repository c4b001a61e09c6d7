// window.pysim: the page's automation API (tests, benchmarks, the console). Each action waits
// for the views to be drawn and resolves once the page shows its result; features add their own
// functions (web/features/*.js install()).

import { launch } from "./start.js";
import { model } from "./views.js";
import { afterPaint } from "./util.js";

/** The API over controller `ctl`; `drawn`: the views near the viewport are on screen;
 *  `settled()`: Python is up, every feature installed, the link's state restored and its text
 *  shown; `everything()`: builds every view now, those the reader has not come near too
 *  (web/pieces.js), and resolves once all are on screen. */
export function makeApi(ctl, drawn, settled, everything) {
  const api = {
    // drawn: every view is on screen. A getter: reading it builds the views the reader has not
    // come near yet (web/pieces.js builds the others only when they near the viewport)
    get drawn() { return everything().then(() => undefined); },
    // ready: Python can trace typed text, every feature is installed, and the state from the URL
    // (if any) is restored. A getter: after Retry has restarted a failed Python, it is the new
    // start's promise; and reading it asks for Python, as pysim.start() does, in every mode
    // (a lazy embed, a Save-Data visit: web/start.js), so that awaiting it never waits forever;
    // and, as pysim.drawn, it builds every view. To wait for the views without starting Python,
    // await pysim.drawn.
    get ready() {
      ctl.startPython();
      return Promise.all([settled(), everything()]).then(() => undefined);
    },
    start: () => api.ready, // start Python now, whatever the page's policy; resolves as pysim.ready
    setText: async (text) => { await drawn; return ctl.setText(text); },
    setPreset: async (name) => { await drawn; return ctl.setPreset(name); },
    step: async (n = 1) => { await drawn; return ctl.step(n); },
    seek: async (t) => { await drawn; return ctl.seek(t); },
    play: async (opts) => { await drawn; ctl.play(opts); },
    pause: async () => { await drawn; ctl.pause(); },
    setUnit: async (u) => { await drawn; ctl.setUnit(u); return afterPaint(); },
    state: () => ctl.state(),
    model, // (name) -> the page's BokehJS model of that name, for tests that look at the views
    // {boot: "fresh" | "snapshot", ms, shared, worker, pages} once Python is ready; before:
    // {started, mode} (mode: "now" | "view" | "ask", web/start.js)
    python: () => ctl.python ?? { started: ctl.bridge.started, mode: launch.mode },
    memory: async () => { await ctl.ready; return ctl.bridge.request("memory", {}); }, // {wasm, objects}
  };
  return api;
}
