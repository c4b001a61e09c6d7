// The page's theme, and whether it is an embed (?embed: <html class="embed">; &views=: "views"):
// what style.css hides then must not paint and go. Chosen before the first paint: index.html
// runs this small classic script in <head>, blocking (a module would run after the first paint:
// a white flash on a dark page).
// ?theme=dark|light, else the system's (prefers-color-scheme). It sets <html data-theme>: the
// CSS variables of style.css follow it (build.py writes them from web/constants.py THEMES), and
// app.js reads it to draw the Bokeh documents in that theme (the boot data's "theme:dark" patch,
// web/variants.js). Fixed for the page's life: a later change of the system's theme applies on
// the next load.
(function () {
  var asked = new URLSearchParams(location.search).get("theme");
  var theme = asked === "dark" || asked === "light" ? asked
    : window.matchMedia && matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  document.documentElement.setAttribute("data-theme", theme);
  var params = new URLSearchParams(location.search);
  if (params.has("embed")) document.documentElement.classList.add("embed");
  // &views= (web/viewset.js): some parts only; app.js takes the class back if it names none
  if (params.get("views")) document.documentElement.classList.add("views");
})();
