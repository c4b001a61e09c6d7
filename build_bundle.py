"""The page's and the worker's JavaScript as two files: esbuild bundles web/app.js and
web/worker.js, each with every module it imports, into dist/app.js and dist/worker.js.

Why: the split modules cost a cold load time. index.html asked for 21 page modules and the worker
for 7 more while Pyodide's and BokehJS's downloads held the browser's six connections to an
HTTP/1.1 host; a cold load made 48 requests before Python was ready, 21 with the bundles
(benchmarks/README.md has the A/B numbers). The sources stay as they are in web/, one job a
module; dist/ ships the bundles (ES modules, not minified: a reader can still read them).

What stays apart:
- web/start.js: index.html runs it early (async) and app.js imports it: one module instance,
  so it is external to the bundle and copied as it is.
- Pyodide's own files: web/worker/boot.js imports them by URL at run time.
- Pages and workers that are entries of their own (floor.js, sw.js) are copied as they are.

esbuild comes from the npm registry by package name (its platform package, which holds the
binary), pinned by sha256 like every other third-party file, cached in .cache/downloads.
"""
from __future__ import annotations

import json
import platform
import stat
import tarfile
from pathlib import Path

from build_wheel import BuildError, run, sha256

ESBUILD_VERSION = "0.28.2"
# (system, machine) -> (npm package, its `npm pack` file, sha256)
ESBUILD = {
    ("Linux", "x86_64"): ("@esbuild/linux-x64", "esbuild-linux-x64-0.28.2.tgz",
                          "9573bb2233aab0f9ea7647d5cca9726113cc1768de61d66b17267f4db84488f6"),
    ("Linux", "aarch64"): ("@esbuild/linux-arm64", "esbuild-linux-arm64-0.28.2.tgz",
                           "a96dbfa41d3ef5dbd1ef22b1c10d5187be9267e86093a870f06402a7ec931596"),
    ("Darwin", "arm64"): ("@esbuild/darwin-arm64", "esbuild-darwin-arm64-0.28.2.tgz",
                          "1980cde09749094452b20d36ff267585ccb3f72749c7bc97291cd9996ccf5a2a"),
}
ENTRIES = ["app.js", "worker.js"]  # bundled; every module they import is inside them
EXTERNAL = ["./start.js"]          # imported by app.js, and run by index.html itself


def esbuild(cache: Path) -> Path:
    """The esbuild binary for this machine, downloaded once (npm pack) and verified."""
    key = (platform.system(), platform.machine())
    if key not in ESBUILD:
        raise BuildError(f"no pinned esbuild for {key[0]} {key[1]}: add its @esbuild/ platform "
                         f"package and sha256 to build_bundle.ESBUILD")
    package, tgz_name, want = ESBUILD[key]
    binary = cache / f"esbuild-{ESBUILD_VERSION}-{key[0]}-{key[1]}"
    if binary.exists():
        return binary
    tgz = cache / tgz_name
    if not tgz.exists():
        cache.mkdir(parents=True, exist_ok=True)
        run(["npm", "pack", f"{package}@{ESBUILD_VERSION}", "--pack-destination", str(cache)])
    got = sha256(tgz)
    if got != want:
        tgz.unlink()
        raise BuildError(f"sha256 mismatch for {tgz_name}: expected {want}, got {got}")
    with tarfile.open(tgz) as tar:
        binary.write_bytes(tar.extractfile("package/bin/esbuild").read())
    binary.chmod(binary.stat().st_mode | stat.S_IXUSR)
    return binary


def bundle(web: Path, out: Path, cache: Path) -> set[str]:
    """Bundle ENTRIES from `web` into `out`; returns the web/ files now inside a bundle
    (relative paths), which are not copied to dist/ on their own."""
    out = Path(out).resolve()
    meta = out / ".bundle-meta.json"
    run([str(esbuild(Path(cache).resolve())), *ENTRIES, "--bundle", "--format=esm",
         "--target=es2022", f"--outdir={out}", "--log-level=warning", "--charset=utf8",
         f"--metafile={meta}", *[f"--external:{x}" for x in EXTERNAL]], cwd=str(web))
    inputs = json.loads(meta.read_text())["inputs"]  # paths relative to web/
    meta.unlink()
    return {Path(p).as_posix() for p in inputs} - set(ENTRIES)
