// Variants of the page's Bokeh documents (dark theme, Chinese labels, ...): patches of the base
// document's JSON, made at build time by web/variants.py (read its docstring: the patch format,
// how patches compose) and shipped in the boot data (boot["variants"]). They are applied here to
// the JSON, before Bokeh.embed.embed_item, so the page is drawn once, in its variant, from the
// first paint.
//
//   applyVariants(items, variants, names)  items: {key: json_item} (index.html #pysim-doc),
//       variants: boot.variants ({"axis:value": {key: patch}}), names: e.g. ["lang:zh",
//       "theme:dark"]; names the build did not make are skipped. Edits items in place.
//   applyPatch(item, patch)                one json_item, one patch, in place.

/** Every full model definition in a json_item, by id. */
function models(item) {
  const out = new Map();
  const walk = (x) => {
    if (Array.isArray(x)) { for (const v of x) walk(v); return; }
    if (x === null || typeof x !== "object") return;
    if ("id" in x && "name" in x) out.set(x.id, x); // a definition, not a reference {id}
    for (const v of Object.values(x)) walk(v);
  };
  walk(item.doc);
  return out;
}

export function applyPatch(item, patch) {
  const byId = models(item);
  for (const [id, path, value] of patch) {
    const model = byId.get(id);
    if (!model) throw new Error(`variant patch: no model ${id}`);
    let node = (model.attributes ??= {});
    for (const step of path.slice(0, -1)) node = node[step];
    node[path[path.length - 1]] = value;
  }
  return item;
}

export function applyVariants(items, variants, names) {
  for (const name of names) {
    const patches = (variants || {})[name];
    if (!patches) continue;
    for (const [key, patch] of Object.entries(patches)) if (items[key]) applyPatch(items[key], patch);
  }
  return items;
}
