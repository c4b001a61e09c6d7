// pysim's service worker: keeps one build's files in one cache, so that a second visit starts
// from the cache and the site works with the network off.
//
// - What is cached: every file of manifest.json (build.py writes it), plus manifest.json itself.
//   Each file is fetched with its sha256 from the manifest as `integrity`, so the cache holds
//   exactly the bytes of this build or nothing (a failed install leaves the old build in place).
// - Versioning: build.py writes BUILD (the start of manifest.json's sha256) into this file, so a
//   new build is a new service worker with a new cache; the old caches go when it activates.
// - First visit: app.js registers this worker only once Python is ready, so the page's own loads
//   come first; the install then revalidates each file (cache: "no-cache"), which a server
//   answers with 304 from the browser's HTTP cache when the file has not changed.
// - Requests: files of the build are answered from the cache, anything else from the network.
// - Not here: the Python memory snapshot of a repeat visit, which worker/snapshot.js keeps in IndexedDB
//   under the same build id.
const BUILD = "__PYSIM_BUILD__";
const PREFIX = "pysim-";
const CACHE = PREFIX + BUILD;
const SCOPE = new URL(self.registration.scope);

const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
const b64 = (hexDigest) => btoa(String.fromCharCode(...hexDigest.match(/../g).map((h) => parseInt(h, 16))));

async function install() {
  const resp = await fetch(new Request("manifest.json", { cache: "no-cache" }));
  if (!resp.ok) throw new Error(`manifest.json: HTTP ${resp.status}`);
  const bytes = await resp.clone().arrayBuffer();
  if (!hex(await crypto.subtle.digest("SHA-256", bytes)).startsWith(BUILD)) {
    throw new Error(`manifest.json is not the one of build ${BUILD} (a deploy in progress?)`);
  }
  const manifest = JSON.parse(new TextDecoder().decode(bytes));
  const cache = await caches.open(CACHE);
  // index.html is kept as "./", the address a visit loads (so its revalidation is a 304 too)
  await cache.addAll(Object.entries(manifest.files).map(([path, f]) =>
    new Request(path === "index.html" ? "./" : path,
                { cache: "no-cache", integrity: `sha256-${b64(f.sha256)}` })));
  await cache.put("manifest.json", resp);
}

self.addEventListener("install", (ev) => {
  ev.waitUntil(install().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (ev) => {
  ev.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

let cacheOpened = null; // one caches.open() for all requests (each is a round trip)
const opened = () => (cacheOpened ??= caches.open(CACHE));

self.addEventListener("fetch", (ev) => {
  const req = ev.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== SCOPE.origin || !url.pathname.startsWith(SCOPE.pathname)) return;
  let path = url.pathname.slice(SCOPE.pathname.length);
  if (path === "index.html") path = "";
  if (path === "sw.js") return;
  ev.respondWith((async () => {
    const hit = await (await opened()).match(new URL(path, SCOPE).href); // the search part plays no role
    return hit || fetch(req);
  })());
});
