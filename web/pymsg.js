// pysim's own messages (Python's ValueError text, the same the CLI prints) in the page's language.
// pysim stays English and has no I/O (the CLI, tests and other callers read its messages); the page
// maps the ones a reader meets most (web/strings.py keys "py.*") by their English template, e.g.
// "word {word} is not in the model's vocabulary ...": the template becomes a pattern, its {fields}
// are filled in the translation, and whatever follows the pattern is kept as it came. A message no
// template matches is shown as pysim wrote it, inside the page's own (translated) sentence.
// tests/web/test_strings.py checks that each template still matches what pysim raises.

import { english, lang, t } from "./i18n.js";

export const KEYS = ["py.empty", "py.unknown_word", "py.clamp_layer", "py.clamp_unit", "py.vectors",
  "py.no_head", "py.unknown_tag"];

/** The pattern of English template `s`: its {fields} as named groups. */
export function pattern(s) {
  const parts = s.split(/\{(\w+)\}/); // text, field, text, field, ...
  const src = parts.map((p, k) => (k % 2 ? `(?<${p}>[\\s\\S]+?)` : p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  return new RegExp(`^${src.join("")}(?<rest>[\\s\\S]*)$`);
}

/** pysim's message `msg` in the page's language (as is when it is English, or not known). */
export function pythonMessage(msg) {
  if (lang === "en") return msg;
  for (const key of KEYS) {
    const m = pattern(english(key)).exec(msg);
    if (m) return t(key, m.groups) + m.groups.rest;
  }
  return msg;
}
