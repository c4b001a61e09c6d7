// Small helpers every page module uses: DOM lookup, waiting for a paint, quiet promises.

export const byId = (id) => document.getElementById(id);

/** Resolves once the browser has painted what was changed before the call (two frames). */
export const afterPaint = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));

/** A promise whose failure has been shown on the page already: `onError` (if any) sees it, and
 *  nobody else (no unhandled rejection). */
export const quiet = (p, onError = () => {}) => p.catch(onError);
