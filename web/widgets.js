// The widgets and the keyboard: what the user does with the views' controls, sent to the
// controller. The page changes widgets too (a new model's text, the Play button's label): those
// changes go through set() and raise no events for the handlers connected with on(), so nothing
// echoes back as if the user had made them.

import { quiet } from "./util.js";

let setting = 0; // > 0 while set() changes a widget

/** Change a BokehJS model's properties without running on() handlers. */
export function set(model, props) {
  setting++;
  try {
    model.setv(props);
  } finally {
    setting--;
  }
}

/** Run fn(new value) when the user changes property `prop` of a widget (not set()). */
export function on(model, prop, fn) {
  model.property(prop).change.connect(() => { if (!setting) fn(model[prop]); });
}

/** Connect the main views' widgets and the keyboard to the controller. */
export function wire(ctl, views) {
  const w = views.w;
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
    set(w.preset, { value: ctl.preset });
    throw err;
  })));
  on(w.speed, "value", () => { if (ctl.timer) { ctl.pause(); ctl.play(); } });
  on(w.play, "active", (a) => (a ? ctl.play() : ctl.pause()));
  w.back.on_event("button_click", () => ctl.step(-1));
  w.forward.on_event("button_click", () => ctl.step(1));
  w.reset.on_event("button_click", () => { ctl.pause(); ctl.seek(0); });
  w.article_0.on_event("button_click", () => quiet(ctl.setText(ctl.boot.article[0])));
  w.article_1.on_event("button_click", () => quiet(ctl.setText(ctl.boot.article[1])));
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
