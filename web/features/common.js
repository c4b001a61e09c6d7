// Helpers shared by the training and model-file features (not a feature itself).

/** Download data (string, Uint8Array or Blob) as a file: a Blob URL and a temporary <a download>,
 *  created here (no inline handler, nothing the CSP forbids). */
export function download(data, filename, type = "application/octet-stream") {
  const blob = data instanceof Blob ? data : new Blob([data], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.rel = "noopener";
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}

/** A file-name-safe version of a model name ("trained: beijing" -> "trained-beijing"). */
export const safeName = (s) => String(s).replace(/\.npz$/i, "").replace(/[^\w.-]+/g, "-")
  .replace(/^-+|-+$/g, "").slice(0, 60) || "model";
