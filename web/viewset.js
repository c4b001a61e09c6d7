// `&views=`: which parts of the page an embed shows (the vocabulary is web/embeds.py's VIEWS,
// sent as boot["views"]). The parts it leaves out are hidden in the Bokeh documents' JSON before
// BokehJS builds them (visible: false), so nothing is laid out twice and nothing jumps:
//   text     the model menu, the text box, the article's examples (and the share button)
//   steps    start, back, play, step, the step slider, speed, unit and layer
//   tokens   the words with their predicted tags
//   f i o g c h   one heatmap each; gates = f,i,o; heatmaps = all six
//   unit     one unit over time;  probs  the tag probabilities
//   diagram  the cell diagram tab, alone (the tab bar hidden)
// Without views= the page shows everything. Unknown words are left out and said (message line).

/** The views a URL asks for: {chosen: [names] or null (everything), unknown: [words]}. */
export function chooseViews(vocab, search = location.search) {
  const spec = new URLSearchParams(search).get("views");
  if (spec === null) return { chosen: null, unknown: [] };
  const chosen = [], unknown = [];
  for (const word of spec.split(",").map((w) => w.trim()).filter(Boolean)) {
    const names = vocab.aliases[word] || [word];
    for (const name of names) {
      if (!vocab.views[name]) unknown.push(word);
      else if (!chosen.includes(name)) chosen.push(name);
    }
  }
  return { chosen: chosen.length ? chosen : null, unknown };
}

/** The Bokeh model names to hide for `chosen` (null: none). */
export function hiddenNames(vocab, chosen) {
  if (!chosen) return new Set();
  const shown = new Set(chosen.flatMap((v) => vocab.views[v]));
  const hidden = new Set(Object.values(vocab.views).flat().filter((n) => !shown.has(n)));
  for (const [row, parts] of Object.entries(vocab.containers)) {
    if (parts.every((p) => hidden.has(p))) hidden.add(row);
  }
  return hidden;
}

function walk(obj, fn) {
  if (Array.isArray(obj)) { for (const v of obj) walk(v, fn); return; }
  if (!obj || typeof obj !== "object") return;
  if (obj.type === "object" && obj.attributes) fn(obj);
  for (const v of Object.values(obj)) walk(v, fn);
}

/** Hide the parts `chosen` leaves out in the page's Bokeh items ({main, panels}, json_item).
 *  The feature tabs show only for `diagram`: that tab open, the tab bar hidden. */
export function applyViews(items, vocab, chosen) {
  if (!chosen) return;
  const hidden = hiddenNames(vocab, chosen);
  walk(items.main, (o) => { if (hidden.has(o.attributes.name)) o.attributes.visible = false; });
  walk(items.panels, (o) => {
    if (o.attributes.name !== "panels") return;
    if (!chosen.includes("diagram")) { o.attributes.visible = false; return; }
    const k = o.attributes.tabs.findIndex((p) => p.attributes && p.attributes.name === "panel_diagram");
    o.attributes.active = Math.max(k, 0);
    o.attributes.stylesheets = [...(o.attributes.stylesheets || []), ".bk-header { display: none; }"];
  });
}
