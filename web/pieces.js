// BokehJS builds the main views piece by piece, one piece a task, so that the browser can take
// input and paint between them (issue 13: no main-thread task over 100 ms after the first paint).
// `Bokeh.embed.embed_item` builds a whole document in one task: ~1.4 s for the views of
// web/page.py on this project's 2-CPU machine, cold (decoding the JSON ~0.1 s of it; building,
// laying out and painting the views the rest, about equally per figure: ~0.1-0.2 s each).
//
// The document is decoded as one (the views share models: the step range, the heatmaps' source),
// then its root (a Column) is taken apart: each of its children becomes a root of the document,
// and the children of the rows named in `split` too (the six heatmaps, the two plots below). Each
// root is built into an element of its own; the elements are arranged as the Column and its Rows
// would arrange them (a flex column; a wrapping flex row whose items take their model's `flex`,
// web/responsive.py BASIS), so the layout is the one web/page.py describes. A root is added to the
// document (BokehJS builds the views of a root it is given: embed/standalone.ts) once the previous
// one is built and the browser has had a turn: those near the viewport (those named `first` before
// the others), the rest once they come near it, or when all() asks for them.

/** Give the browser a turn: input, rendering (scheduler.yield where there is one). */
export const nextTask = () => (globalThis.scheduler && scheduler.yield
  ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0)));

const box = (cls) => Object.assign(document.createElement("div"), { className: cls });

/** The root's pieces in the order they are built, and their elements, inside `host`. */
function takeApart(root, split, host) {
  const pieces = [], els = [];
  const column = box("pysim-column");
  host.append(column);
  for (const child of root.children) {
    if (!split.includes(child.name)) {
      pieces.push(child);
      els.push(column.appendChild(box("pysim-piece")));
      continue;
    }
    const row = column.appendChild(box("pysim-row"));
    row.hidden = !child.visible; // an embed's &views= hid it (web/viewset.js)
    for (const item of child.children) {
      const el = row.appendChild(box("pysim-piece"));
      el.style.flex = (item.styles && item.styles.flex) || "1 1 auto";
      pieces.push(item);
      els.push(el);
    }
  }
  // a piece the page hides (an embed's &views=) takes no room in its row
  pieces.forEach((piece, k) => {
    const show = () => { els[k].hidden = !piece.visible; };
    show();
    piece.property("visible").change.connect(show);
  });
  return { pieces, els };
}

/** Build `item` (a json_item whose root is a Column) into element `target`, piece by piece.
 *  `split`: names of the Rows whose children are pieces. `decoded(doc)` runs once the models
 *  exist and before any view does: data given to them then is laid out and painted once, with
 *  each piece (not a second time, all together, after). `built(model)` runs once each piece's
 *  views are built. `first`: names of pieces built before the others near the viewport;
 *  `room(model)`: the height a piece's element keeps until it is built (its picture's), so that
 *  a piece built early stays in its place; `margin`: how near the viewport (an
 *  IntersectionObserver rootMargin) a piece is built. The others wait until they come that
 *  near, or until `all()` asks for them: a reader who never scrolls to the last figures does not
 *  pay for them (on a phone most of the page is below the fold, and each figure is 0.1-0.2 s of
 *  main thread here, several times that on a phone). Resolves, once the document is decoded, to
 *  {doc, sight, done, all}: `sight` resolves once the pieces near the viewport are built, `done`
 *  once every piece the page shows is (those an embed's &views= hides are never built); `all()`
 *  builds the rest of them now, in order, and returns `done`. */
export async function embedPieces(item, target, split,
  { decoded = () => {}, built = () => {}, first = [], room = () => 0, margin = "0px" } = {}) {
  const { Document } = window.Bokeh.require("document");
  const { add_document_standalone } = window.Bokeh.require("embed/standalone");
  const doc = Document.from_json(item.doc);
  decoded(doc);
  await nextTask();
  const root = doc.roots()[0];
  const { pieces, els } = takeApart(root, split, document.getElementById(target));
  doc.remove_root(root);
  // the element of each root by its index among the document's roots (added in build order)
  const byRoot = [];
  await add_document_standalone(doc, document.getElementById(target), byRoot);
  pieces.forEach((piece, k) => { els[k].style.minHeight = `${room(piece)}px`; });
  const rank = (piece) => (first.includes(piece.name) ? first.indexOf(piece.name) : first.length);
  // the pieces to build, in order: those the page shows (an embed's &views= hides the others,
  // or their row, for the page's life: web/viewset.js); `done` does not wait for the others
  const order = pieces.map((piece, k) => [rank(piece), k])
    .filter(([, k]) => !els[k].closest("[hidden]"))
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, k]) => k);
  // which pieces are wanted: those near the viewport (`first` first), every one once all() is
  // called (a piece the page hides is near nothing: an embed's &views= builds only what it shows)
  const wanted = new Set();
  let wake = () => {}, seen = null; // seen: the observer has reported once
  const observed = new Promise((resolve) => { seen = resolve; });
  const observer = new IntersectionObserver((entries) => {
    for (const e of entries) if (e.isIntersecting) wanted.add(els.indexOf(e.target));
    seen();
    wake();
  }, { rootMargin: margin });
  els.forEach((el) => observer.observe(el));
  let asked = false; // all() was called
  let sightDone = () => {};
  const sight = new Promise((resolve) => { sightDone = resolve; });
  const done = (async () => {
    await observed;
    while (order.length) {
      let k;
      while ((k = order.find((j) => wanted.has(j))) === undefined) {
        sightDone(); // nothing near the viewport is left to build
        await new Promise((resolve) => { wake = resolve; });
      }
      order.splice(order.indexOf(k), 1);
      observer.unobserve(els[k]);
      const piece = pieces[k];
      await nextTask();
      byRoot.push(els[k]);
      doc.add_root(piece); // BokehJS builds it (and paints it in the next frame)
      while (!window.Bokeh.index.get(piece)) await nextTask(); // (get: the roots' views only)
      els[k].style.minHeight = "";
      built(piece);
    }
    observer.disconnect();
    sightDone();
  })();
  const all = () => {
    if (!asked) {
      asked = true;
      order.forEach((k) => wanted.add(k));
      wake();
    }
    return done;
  };
  return { doc, sight: Promise.race([sight, done]), done, all }; // (a failed build: both fail)
}

/** Decode `item` (a json_item) now, and build its views into element `target` once that element
 *  comes within `margin` (an IntersectionObserver rootMargin) of the viewport, or when `build()`
 *  asks, in another task (embed_item does both in one). Resolves, once decoded and the element's
 *  place known, to {doc, near, shown, build}: `near`, whether the element was near the viewport
 *  then; `shown`, a promise of the views built; `build()` builds them now and returns `shown`. */
export async function embedWhenNear(item, target, margin) {
  const { Document } = window.Bokeh.require("document");
  const { add_document_standalone } = window.Bokeh.require("embed/standalone");
  const doc = Document.from_json(item.doc);
  const el = document.getElementById(target);
  let start = null;
  const started = new Promise((resolve) => { start = resolve; });
  const shown = started.then(nextTask).then(() => add_document_standalone(doc, el, []))
    .then(() => undefined);
  let report = null; // the observer's first report: whether the element was near
  const reported = new Promise((resolve) => { report = resolve; });
  const observer = new IntersectionObserver(([entry]) => {
    report(entry.isIntersecting);
    if (entry.isIntersecting) start();
  }, { rootMargin: margin });
  observer.observe(el);
  started.then(() => { observer.disconnect(); report(true); });
  const near = await reported;
  return { doc, near, shown, build: () => { start(); return shown; } };
}
