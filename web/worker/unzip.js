// The files of a wheel (a zip), inflated by the browser (DecompressionStream): the snapshot
// restore unpacks site-packages from the same wheels a fresh boot installs.

export async function unzip(buf) {
  const v = new DataView(buf), u8 = new Uint8Array(buf), utf8 = new TextDecoder();
  let end = buf.byteLength - 22; // the end-of-central-directory record
  while (end >= 0 && v.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw new Error("a wheel is not a zip file");
  const files = [];
  for (let i = 0, p = v.getUint32(end + 16, true); i < v.getUint16(end + 10, true); i++) {
    if (v.getUint32(p, true) !== 0x02014b50) throw new Error("a wheel's zip directory is damaged");
    const method = v.getUint16(p + 10, true), size = v.getUint32(p + 20, true), usize = v.getUint32(p + 24, true);
    const nameLen = v.getUint16(p + 28, true), local = v.getUint32(p + 42, true);
    const name = utf8.decode(u8.subarray(p + 46, p + 46 + nameLen));
    p += 46 + nameLen + v.getUint16(p + 30, true) + v.getUint16(p + 32, true);
    if (name.endsWith("/")) continue;
    const start = local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true);
    const raw = u8.subarray(start, start + size);
    if (method === 0) files.push([name, raw]);
    else if (method === 8) files.push([name, await inflate(raw, usize)]);
    else throw new Error(`zip method ${method} in a wheel`);
  }
  return files;
}

async function inflate(raw, size) {
  // written and read directly: a Blob's stream() would cost ~1 ms per file
  const ds = new DecompressionStream("deflate-raw");
  const writer = ds.writable.getWriter();
  writer.write(raw).catch(() => {}); // a damaged stream fails read() below
  writer.close().catch(() => {});
  const out = new Uint8Array(size), reader = ds.readable.getReader();
  for (let n = 0; ;) {
    const { done, value } = await reader.read();
    if (done) {
      if (n !== size) throw new Error("a wheel's file has the wrong size");
      return out;
    }
    out.set(value, n); // throws if the data runs past `size`
    n += value.length;
  }
}
