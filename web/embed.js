// pysim's embeds, sized to fit: the parent page of an embed runs this file (hosted with the site:
// <script src="https://YOUR-HOST/pysim/embed.js" async></script>, no inline script, so it works
// under the parent's strict CSP too). Every pysim iframe on the page tells its height
// (web/height.js: postMessage {type: "pysim:height", height}); this sets that iframe's height, so
// the embed needs no scrollbar of its own. Messages from any other window are ignored.
(() => {
  if (window.pysimEmbeds) return; // loaded twice: one listener is enough
  window.pysimEmbeds = true;
  window.addEventListener("message", (ev) => {
    const data = ev.data;
    if (!data || data.type !== "pysim:height" || !Number.isFinite(data.height)) return;
    for (const frame of document.querySelectorAll("iframe")) {
      if (frame.contentWindow === ev.source) {
        frame.style.height = `${Math.max(0, Math.ceil(data.height))}px`;
        frame.setAttribute("scrolling", "no");
      }
    }
  });
})();
