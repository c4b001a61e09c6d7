// Python -> JS for the worker's answers: numpy arrays cross as typed arrays whose buffers are
// transferred (no JSON, no copy on the page's side); a Python exception becomes the message the
// page shows (the exception's own text, whole; `user`: a ValueError / ModelFileError, the
// input's fault, shown without "pysim failed").

export function toJs(proxy) {
  // a dict of numpy arrays / lists / scalars -> {key: TypedArray | value}, plus transfer list
  const out = {};
  const transfer = [];
  for (const key of proxy) {
    const v = proxy.get(key);
    if (v !== null && typeof v === "object" && v.type === "numpy.ndarray") {
      const buf = v.getBuffer();
      try {
        const copy = buf.data.slice(); // own the memory; the wasm heap may move
        out[key] = copy;
        transfer.push(copy.buffer);
      } finally {
        buf.release();
        v.destroy();
      }
    } else if (v !== null && typeof v === "object" && typeof v.toJs === "function") {
      out[key] = v.toJs({ dict_converter: Object.fromEntries });
      v.destroy();
    } else {
      out[key] = v;
    }
  }
  proxy.destroy();
  return { out, transfer };
}

export function errorText(err) {
  // PythonError messages carry the traceback; the user needs the exception that ends it, whole:
  // a ModelFileError may span several lines (e.g. a snippet that converts a file). It starts at
  // the first unindented line after the last frame ("  File ...", then its indented source).
  const msg = String(err && err.message ? err.message : err).trim();
  const lines = msg.split("\n");
  let k = lines.findLastIndex((l) => l.startsWith("  File "));
  if (k >= 0) while (k + 1 < lines.length && /^\s/.test(lines[k + 1])) k++;
  const text = (k >= 0 ? lines.slice(k + 1).join("\n") : msg).trim() || msg;
  const m = text.match(/^(\w+(?:\.\w+)*(?:Error|Exception)): ([\s\S]*)$/);
  if (m && /ValueError|ModelFileError/.test(m[1])) return { error: m[2], user: true };
  return { error: text, user: false };
}

export function fromPython(res) {
  // a dict -> {key: TypedArray | value}; bytes -> Uint8Array; anything else as is
  if (res === null || typeof res !== "object" || typeof res.toJs !== "function") return { out: res, transfer: [] };
  if (res.type === "dict") return toJs(res);
  const out = res.toJs({ dict_converter: Object.fromEntries });
  res.destroy();
  return { out, transfer: ArrayBuffer.isView(out) ? [out.buffer] : [] };
}
