// Keyboard and screen readers on the live page (what web/a11y.py cannot do at build time):
//  - names: every slider handle (step, speed, the Intervene clamp's value and steps) gets an
//    aria-label from web/strings.py; BokehJS gives them none.
//  - tab order: the plots' event layers (focusable canvases nothing reads) and their toolbars'
//    buttons (hidden until the mouse is over a plot) leave it; the mouse still uses them.
//  - the feature tabs: role tablist / tab / tabpanel, aria-selected, aria-controls, a roving
//    tabindex (one tab stop for the tab row); Left/Right/Home/End move between tabs, Enter or
//    Space opens the focused one.
//  - the step, spoken: after the user steps (keys, buttons, the slider), a polite live region
//    (#pysim-announce in index.html) says the step, its word and the predicted tag, once the
//    stepping rests for ANNOUNCE_MS; while playing nothing is said per tick, only where play
//    stops.
//  - focus handed over: a focused button that is disabled by what it started (Start training)
//    passes the focus to the button that undoes it (Pause), and back (HANDOVER).
// Widgets that BokehJS renders anew (a button whose label changes) keep the keyboard focus:
// web/widgets.js set().

import { t } from "../i18n.js";
import { argmax } from "../trace.js";
import { keepFocus } from "../widgets.js";

const ANNOUNCE_MS = 350;  // the step is spoken once stepping has rested this long
const USER_MS = 1500;     // a step this soon after a key, click or touch is the user's
// slider model -> the names of its handles (web/strings.py keys)
const HANDLES = { scrub: ["a11y.scrub"], speed: ["a11y.speed"], clamp_value: ["a11y.clamp_value"],
                  clamp_steps: ["a11y.clamp_from", "a11y.clamp_to"] };

// a focused button disabled by its own action -> the button that takes the focus
const HANDOVER = { train_start: "train_pause", train_pause: "train_start" };

const viewOf = (model) => window.Bokeh.index.find_one(model); // null: not built yet (a closed tab)
/** Every built view by its model, in one walk (find_one walks them all for each model). */
const viewIndex = () => new Map([...window.Bokeh.index.all_views()].map((v) => [v.model, v]));

/** Every element under `root`, through open shadow roots. */
export function* deepElements(root) {
  for (const el of root.querySelectorAll("*")) {
    yield el;
    if (el.shadowRoot) yield* deepElements(el.shadowRoot);
  }
}

/** Plots' canvases and toolbar buttons out of the tab order (BokehJS sets tabIndex 0 on them). */
function untab(root = document) {
  for (const el of deepElements(root)) {
    if (el.tabIndex < 0) continue;
    const host = el.getRootNode().host;
    if (el.classList.contains("bk-events") || (host && host.classList.contains("bk-Toolbar"))) {
      el.tabIndex = -1;
    }
  }
}

function nameHandles(m, views) {
  for (const [name, keys] of Object.entries(HANDLES)) {
    let model;
    try { model = m(name); } catch { continue; } // a page without that feature
    const view = views.get(model);
    if (!view) continue;
    const handles = view.shadow_el.querySelectorAll(".noUi-handle");
    handles.forEach((h, k) => h.setAttribute("aria-label", t(keys[Math.min(k, keys.length - 1)])));
  }
}

/** Number boxes (Spinner) named by their model's tags[0] (else title or name); their arrow
 *  buttons, which the keyboard's arrow keys replace, out of the tab order and of the tree. */
function nameSpinners(views) {
  for (const doc of window.Bokeh.documents) {
    for (const model of doc.all_models) {
      if ((model.type ?? model.constructor.__name__) !== "Spinner") continue;
      const view = views.get(model);
      if (!view || !view.shadow_el) continue;
      const input = view.shadow_el.querySelector("input");
      if (input && !input.hasAttribute("aria-label")) {
        input.setAttribute("aria-label", model.tags[0] || model.title || model.name);
      }
      for (const b of view.shadow_el.querySelectorAll("button")) {
        b.tabIndex = -1;
        b.setAttribute("aria-hidden", "true");
      }
    }
  }
}

/** The feature tabs as an ARIA tab list, driven by the keyboard. */
function tabList(model, onChange) {
  const view = viewOf(model);
  const ids = (i) => [`pysim-tab-${i}`, `pysim-tabpanel-${i}`];
  let focus = model.active; // the tab with tabindex 0
  const apply = () => {
    const wrap = view.headers_wrapper_el;
    wrap.setAttribute("role", "tablist");
    wrap.setAttribute("aria-label", t("a11y.tabs"));
    const panels = new Map(view.child_views.map((v) => [v.model, v.el]));
    view.header_els.forEach((el, i) => {
      const [tabId, panelId] = ids(i);
      const panel = panels.get(model.tabs[i].child);
      el.id = tabId;
      el.setAttribute("role", "tab");
      el.setAttribute("aria-selected", String(i === model.active));
      el.tabIndex = i === focus ? 0 : -1;
      if (panel) { // materialised (opened once): BokehJS builds a tab's views when it first opens
        panel.id = panelId;
        panel.setAttribute("role", "tabpanel");
        panel.setAttribute("aria-labelledby", tabId);
        el.setAttribute("aria-controls", panelId);
      }
    });
  };
  view.headers_wrapper_el.addEventListener("keydown", (ev) => {
    const n = view.header_els.length;
    const at = view.header_els.indexOf(ev.composedPath()[0]);
    if (at < 0 || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const to = { ArrowRight: (at + 1) % n, ArrowLeft: (at - 1 + n) % n, Home: 0, End: n - 1 }[ev.key];
    if (to !== undefined) {
      focus = to;
      apply();
      view.header_els[to].focus();
    } else if (ev.key === "Enter" || ev.key === " ") {
      model.active = at;
    } else {
      return;
    }
    ev.preventDefault();
    ev.stopPropagation();
  });
  // BokehJS adds a tab's views to its shadow root when the tab first opens (asynchronously)
  new MutationObserver(() => { apply(); onChange(); }).observe(view.shadow_el, { childList: true });
  model.property("active").change.connect(() => { focus = model.active; apply(); onChange(); });
  apply();
}

/** The HANDOVER pairs; returns attach(), which watches the views built since (a closed tab's
 *  views are built when it first opens). */
function handOver(m) {
  const pairs = [];
  for (const [from, to] of Object.entries(HANDOVER)) {
    try { pairs.push([m(from), m(to)]); } catch { /* a page without that feature */ }
  }
  // the model whose view had the focus last (focus moves inside shadow trees reach no document
  // listener: each view's host element listens)
  let last = null;
  const watched = new WeakSet();
  const attach = (views) => {
    for (const [from] of pairs) {
      const v = views.get(from);
      if (!v || watched.has(v.el)) continue;
      watched.add(v.el);
      v.el.addEventListener("focusin", () => { last = from; });
      v.el.addEventListener("focusout", (ev) => { if (ev.relatedTarget) last = null; });
    }
  };
  for (const [from, to] of pairs) {
    from.property("disabled").change.connect(() => {
      if (!from.disabled || last !== from) return;
      last = null;
      setTimeout(() => { // once the other button is enabled (the same task) and drawn
        const view = viewOf(to);
        if (view && !to.disabled) keepFocus(view.el); // its label may be rendered anew too
      });
    });
  }
  attach(viewIndex());
  return attach;
}

function announcer(ctl) {
  const region = document.getElementById("pysim-announce");
  const play = ctl.views.w.play;
  let userAt = -Infinity, timer = 0;
  for (const type of ["keydown", "pointerdown"]) {
    document.addEventListener(type, () => { userAt = performance.now(); }, { capture: true });
  }
  const say = () => {
    const tr = ctl.trace, step = ctl.t, last = tr.T - 1, token = tr.tokens[step];
    if (!tr.K) return t("a11y.step_nohead", { t: step, last, token });
    const best = argmax(tr.probs, tr.K, step);
    return t("a11y.step", { t: step, last, token, tag: tr.tags[best],
                            p: Math.round(100 * tr.probs[step * tr.K + best]) });
  };
  const later = (stopped = false) => {
    clearTimeout(timer);
    if (ctl.timer || (!stopped && performance.now() - userAt > USER_MS)) return; // playing, or not the user
    timer = setTimeout(() => { region.textContent = say(); }, ANNOUNCE_MS);
  };
  ctl.addEventListener("step", () => later());
  play.property("active").change.connect(() => {
    if (play.active) clearTimeout(timer);
    else later(true); // where play stopped (at the end too, long after the key that started it)
  });
}

export function install({ ctl, m, tabs, afterPaint, pieceBuilt, panelsShown }) {
  const meta = document.querySelector('meta[name="description"]');
  if (meta) meta.content = t("a11y.description");
  // BokehJS builds a plot's toolbar once the plot is laid out (a tab's: once it opens; a piece of
  // the views: once the reader comes near it): sweep now and once the next frames are painted
  // (`root`: where tab stops are taken out; walking every element of every view of the page takes
  // ~30-80 ms here, so a piece of the views built later is walked alone)
  const watch = handOver(m);
  const sweep = (root = document) => {
    const views = viewIndex();
    nameHandles(m, views); nameSpinners(views); untab(root); watch(views);
  };
  const soon = (root) => afterPaint().then(() => sweep(root)).then(afterPaint)
    .then(() => sweep(root));
  sweep();
  soon();
  // a piece of the views built later (web/pieces.js; a root of the document: index.get)
  pieceBuilt.addEventListener("built", ({ detail: piece }) =>
    soon(window.Bokeh.index.get(piece).shadow_el));
  // the tabs' views: built once the reader comes near them (app.js)
  panelsShown.then(() => { if (tabs.tabs) tabList(tabs.tabs, soon); soon(); });
  announcer(ctl);
}
