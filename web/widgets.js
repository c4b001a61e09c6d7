// The widgets and the keyboard: what the user does with the views' controls, sent to the
// controller. The page changes widgets too (a new model's text, the Play button's label): those
// changes go through set() and raise no events for the handlers connected with on(), so nothing
// echoes back as if the user had made them.

import { quiet } from "./util.js";

let setting = 0; // > 0 while set() changes a widget

/** The element that has the keyboard focus, inside shadow roots too. */
export function deepActive() {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  return el;
}

/** Change a BokehJS model's properties without running on() handlers. A widget that BokehJS
 *  renders anew for the change (a button's label: Play / Pause) keeps the keyboard focus. */
export function set(model, props) {
  // (find_one walks every view: only when the focus is in one, inside its shadow root)
  const inView = Boolean(document.activeElement && document.activeElement.shadowRoot);
  const view = inView && window.Bokeh && window.Bokeh.index.find_one(model);
  const host = view && view.el;
  const focused = Boolean(host && host.shadowRoot && host.shadowRoot.activeElement);
  setting++;
  try {
    model.setv(props);
  } finally {
    setting--;
  }
  if (focused) keepFocus(host);
}

const FOCUS_FRAMES = 10; // BokehJS renders a new label asynchronously: watch this many frames

/** Give the focus back to the widget whose view is `host` whenever it loses it to nothing (its
 *  element was rendered anew), for a few frames; never when the user has moved it elsewhere. */
export function keepFocus(host, frames = FOCUS_FRAMES) {
  const again = (n) => {
    const active = deepActive();
    if (!host.shadowRoot.activeElement && (!active || active === document.body)) {
      const target = host.shadowRoot.querySelector("button:not([disabled]), input, select, [tabindex]");
      if (target) target.focus();
    }
    if (n > 0) requestAnimationFrame(() => again(n - 1));
  };
  queueMicrotask(() => again(frames));
}

// Elements whose own keys the page's shortcuts leave alone: native controls, ARIA widgets
// (slider handles, tabs), anything in the tab order but the plots' canvases.
const CONTROL_TAGS = /^(INPUT|TEXTAREA|SELECT|BUTTON|A)$/;
const CONTROL_ROLES = /^(slider|tab|button|textbox|combobox|listbox|option|spinbutton|menuitem|checkbox|radio|switch|link)$/;
function usesKeys(ev) {
  for (const el of ev.composedPath()) {
    if (!(el instanceof Element) || el === document.body || el === document.documentElement) continue;
    if (CONTROL_TAGS.test(el.tagName) || CONTROL_ROLES.test(el.getAttribute("role") || "")
        || el.isContentEditable || (el.hasAttribute("tabindex") && el.tabIndex >= 0)) return true;
  }
  return false;
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
    if (ev.defaultPrevented || usesKeys(ev) || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const keys = {
      ArrowLeft: () => ctl.step(-1), ArrowRight: () => ctl.step(1),
      Home: () => ctl.seek(0), End: () => ctl.seek(ctl.trace.T - 1),
      " ": () => (ctl.timer ? ctl.pause() : ctl.play()),
    };
    if (keys[ev.key]) { ev.preventDefault(); keys[ev.key](); }
  });
}
