// The page's language, chosen before the first paint: index.html runs this small classic script
// (not a module: modules run after parsing) at the top of <head>. ?lang=<code> (one of <html
// data-langs>, written by build.py from web/strings.py LANGS) wins; else the browser's first
// language, if it starts with "zh", gives zh; else en. It sets <html lang> ("zh-CN" or "en") and
// <html data-lang>: style.css shows the static text of that language only (build.py writes
// index.html's words in every language, each in an element marked data-l), so a Chinese reader
// never sees English first and nothing moves. web/i18n.js reads data-lang for the rest.
(function () {
  var root = document.documentElement;
  var langs = (root.getAttribute("data-langs") || "en").split(" ");
  var asked = new URLSearchParams(location.search).get("lang");
  var first = (navigator.languages && navigator.languages[0]) || navigator.language || "";
  var lang = langs.indexOf(asked) >= 0 ? asked : /^zh\b/i.test(first) && langs.indexOf("zh") >= 0 ? "zh" : "en";
  root.setAttribute("data-lang", lang);
  root.lang = lang === "zh" ? "zh-CN" : lang;
})();
