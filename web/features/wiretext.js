// The Wire tab's texts (not a feature itself): input vectors typed as "[3,1,0] [4,1,0]", parsed by
// the rules of pysim.handwired.parse_inputs (the same checks in the same order, the same messages,
// here in the reader's language: web/strings.py wire.err.*; tests/web/test_wire.py compares them);
// the weights as a dict {W_f: [[...]] (H, H + D), ..., b_f: [...] (H,), ...}; and the cell in a
// link (urlstate.js): "H_w_w_..._w*3_1_0*4_1_0": H, then every weight (gate by gate f i C o, unit
// by unit, its row [h_{t-1} | x_t] then its bias), then each input vector; only characters a URL
// keeps as they are.
import { t } from "../i18n.js";

export const GATES = ["f", "i", "C", "o"];
const SEP = /[\s,;]+/y;
const SPLIT = /[\s,;]+/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const fail = (key, values) => { throw Object.assign(new Error(t(`wire.err.${key}`, values)), { user: true }); };

/** Input vectors as text -> number[][] (T x D); throws an Error whose message says what is wrong. */
export function parseInputs(text, { maxInputs, maxSteps }) {
  text = String(text);
  const vectors = [];
  let pos = 0;
  for (;;) {
    SEP.lastIndex = pos;
    if (SEP.test(text)) pos = SEP.lastIndex;
    if (pos >= text.length) break;
    if (text[pos] !== "[") fail("outside", { s: text.slice(pos).split("[")[0].trim().slice(0, 20) });
    const end = text.indexOf("]", pos), nested = text.indexOf("[", pos + 1);
    const n = vectors.length + 1;
    if (end < 0 || (nested >= 0 && nested < end)) fail("open", { n });
    const items = text.slice(pos + 1, end).split(SPLIT).filter(Boolean);
    if (!items.length) fail("blank", { n });
    for (const s of items) if (!NUMBER.test(s) || !Number.isFinite(Number(s))) fail("number", { n, s: s.slice(0, 20) });
    if (items.length > maxInputs) fail("wide", { n, k: items.length, max: maxInputs });
    if (vectors.length && items.length !== vectors[0].length) fail("ragged", { n, k: items.length, d: vectors[0].length });
    vectors.push(items.map(Number));
    if (vectors.length > maxSteps) fail("long", { max: maxSteps });
    pos = end + 1;
  }
  if (!vectors.length) fail("empty", {});
  return vectors;
}

/** number[][] -> "[3,1,0] [4,1,0]". */
export const formatInputs = (x) => x.map((v) => `[${v.join(",")}]`).join(" ");

/** A deep copy of a weights dict. */
export const copyWeights = (w) => Object.fromEntries(Object.entries(w || {}).map(([k, v]) =>
  [k, Array.isArray(v) ? v.map((r) => (Array.isArray(r) ? [...r] : r)) : v])); // pysim checks them

/** The weights for H units and D inputs, keeping every weight the two shapes share (new: 0). */
export function resize(w, H, D) {
  const H0 = w.b_f.length, D0 = w.W_f[0].length - H0;
  const out = {};
  for (const g of GATES) {
    out[`W_${g}`] = Array.from({ length: H }, (_, u) => Array.from({ length: H + D }, (_, j) => {
      if (u >= H0) return 0;
      if (j < H) return j < H0 ? w[`W_${g}`][u][j] : 0;
      return j - H < D0 ? w[`W_${g}`][u][H0 + j - H] : 0;
    }));
    out[`b_${g}`] = Array.from({ length: H }, (_, u) => (u < H0 ? w[`b_${g}`][u] : 0));
  }
  return out;
}

/** The cell {weights, inputs (text)} in a link's form (see the header). */
export function encodeCell({ weights, inputs }, limits) {
  const H = weights.b_f.length;
  const flat = [H];
  for (const g of GATES) for (let u = 0; u < H; u++) flat.push(...weights[`W_${g}`][u], weights[`b_${g}`][u]);
  return [flat.join("_"), ...parseInputs(inputs, limits).map((v) => v.join("_"))].join("*");
}

/** A link's form -> {weights, inputs}; throws on anything malformed. */
export function decodeCell(value, limits) {
  const [head, ...vecs] = String(value).split("*");
  const nums = (s) => s.split("_").map((v) => (NUMBER.test(v) ? Number(v) : NaN));
  const flat = nums(head), H = flat.shift();
  const inputs = formatInputs(vecs.map(nums));
  const D = parseInputs(inputs, limits)[0].length;
  if (!(H >= 1 && H <= limits.maxUnits && Number.isInteger(H)) || flat.length !== 4 * H * (H + D + 1)
      || !flat.every(Number.isFinite)) {
    throw new Error("the wired cell's weights are malformed");
  }
  const weights = {};
  for (const g of GATES) {
    weights[`W_${g}`] = [];
    weights[`b_${g}`] = [];
    for (let u = 0; u < H; u++) {
      weights[`W_${g}`].push(flat.splice(0, H + D));
      weights[`b_${g}`].push(flat.shift());
    }
  }
  return { weights, inputs };
}
