// The page's words in the reader's language: the tables of web/strings.py (boot data, "strings").
// The language was chosen before the first paint by web/lang.js (<html data-lang>: ?lang=en|zh,
// else the browser's first language if it starts with zh, else en).
// t(key, {name: value}) fills in "{name}"; a key the table lacks is a bug (tests check the keys).
// index.html's visible words are written by build.py in every language (style.css shows one);
// applyStatic() sets what is not painted: the document's title and [data-t-label] aria-labels.

let tables = {};
let table = {};
export let lang = "en";

/** Take the language web/lang.js chose; `strings`: boot["strings"]. */
export function setup(strings, chosen = document.documentElement.dataset.lang) {
  tables = strings;
  lang = chosen && strings[chosen] ? chosen : "en";
  table = strings[lang];
  applyStatic();
  return lang;
}

export function t(key, values = {}) {
  const s = table[key];
  if (s === undefined) throw new Error(`no string ${key} in ${lang}`);
  return s.replace(/\{(\w+)\}/g, (_, k) => String(values[k]));
}

/** Whether the table has `key` (for keys made from data, e.g. a preset's description). */
export const has = (key) => key in table;

/** The string `key` in English, whatever the page's language (e.g. values kept in links). */
export const english = (key) => tables.en[key];

function applyStatic() {
  document.title = t("page.title");
  for (const el of document.querySelectorAll("[data-t-label]")) {
    el.setAttribute("aria-label", t(el.dataset.tLabel));
  }
}
