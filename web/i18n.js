// The page's words in the reader's language: the tables of web/strings.py (boot data, "strings").
// The language: ?lang=en|zh, else the browser's (a language starting with "zh" gives zh), else en.
// t(key, {name: value}) fills in "{name}"; a key the table lacks is a bug (tests check the keys).

let table = {};
export let lang = "en";

/** Choose the language from the URL and the browser; `strings`: boot["strings"]. */
export function setup(strings, search = location.search, languages = navigator.languages || []) {
  const asked = new URLSearchParams(search).get("lang");
  const browser = [...languages].some((l) => /^zh\b/i.test(l)) ? "zh" : "en";
  lang = asked && strings[asked] ? asked : browser;
  table = strings[lang] || strings.en;
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  return lang;
}

export function t(key, values = {}) {
  const s = table[key];
  if (s === undefined) throw new Error(`no string ${key} in ${lang}`);
  return s.replace(/\{(\w+)\}/g, (_, k) => String(values[k]));
}
