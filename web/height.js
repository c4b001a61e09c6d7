// An embed tells its parent page how tall it is, so that the parent can size the iframe to fit
// (no inner scrollbar): postMessage({type: "pysim:height", height}) to the parent, once at start
// and again whenever the page's height changes (a ResizeObserver on the body: the views replacing
// the pictures, a message line, a tab's contents). The parent side is web/embed.js.
// Nothing is sent when the page is not in a frame.

/** The page's content height in CSS pixels (the body's, not the frame's viewport). */
export const contentHeight = () => Math.ceil(Math.max(document.body.scrollHeight,
  document.body.getBoundingClientRect().height));

export function tellHeight(win = window) {
  if (win.parent === win) return null;
  let last = -1;
  const send = () => {
    const height = contentHeight();
    if (height === last) return;
    last = height;
    win.parent.postMessage({ type: "pysim:height", height }, "*"); // a height is no secret
  };
  const observer = new ResizeObserver(send);
  observer.observe(document.body);
  send();
  return observer;
}
