// The trace format of the page: one flat layout for the prerendered (JSON, from build.py) and
// the live ones (typed arrays, from the worker). Field k (f, i, g, o, c, h) of layer l, step t,
// unit u is tr[k][(l * T + t) * H + u]; the tag probabilities are tr.probs[t * K + k].
// Live traces may also carry base_c, base_h, base_probs: the run without clamps.

export const ARRAYS = ["f", "i", "g", "o", "c", "h"];

export function traceFromJson(j) {
  const L = j.layers.length, T = j.tokens.length, H = T ? j.layers[0].f[0].length : 0;
  const K = j.tags.length;
  const tr = { tokens: j.tokens, unknown: Uint8Array.from(j.unknown, Number), L, T, H, K,
               tags: j.tags, notice: j.notice || "" };
  for (const k of ARRAYS) {
    const a = new Float64Array(L * T * H);
    j.layers.forEach((layer, l) => layer[k].forEach((rowv, t) => a.set(rowv, (l * T + t) * H)));
    tr[k] = a;
  }
  tr.probs = new Float64Array(T * K);
  j.probs.forEach((rowv, t) => tr.probs.set(rowv, t * K));
  return tr;
}

export function traceFromWorker(r) {
  const [L, T, H] = r.shape;
  return { ...r, L, T, H, K: r.tags.length };
}

/** Field k of layer l, step t, unit u. */
export const at = (tr, k, l, t, u) => tr[k][(l * tr.T + t) * tr.H + u];

/** The most probable tag at step t of (T, K) probabilities (the first on a tie; 0 if K = 0). */
export function argmax(probs, K, t) {
  let best = 0;
  for (let k = 1; k < K; k++) if (probs[t * K + k] > probs[t * K + best]) best = k;
  return best;
}

/** The trace as pysim.api.trace_json writes it (what pysim.state() and the JSON export give). */
export function traceToJson(tr) {
  const grid = (k, l) => Array.from({ length: tr.T }, (_, t) =>
    Array.from(tr[k].subarray((l * tr.T + t) * tr.H, (l * tr.T + t + 1) * tr.H)));
  return {
    tokens: [...tr.tokens],
    layers: Array.from({ length: tr.L }, (_, l) => Object.fromEntries(ARRAYS.map((k) => [k, grid(k, l)]))),
    probs: Array.from({ length: tr.T }, (_, t) => Array.from(tr.probs.subarray(t * tr.K, (t + 1) * tr.K))),
    tags: [...tr.tags],
  };
}
