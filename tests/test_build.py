"""build.py: a from-scratch build into a temp dir, pinned hashes, a tampered file refused, the
pysim wheel Pyodide runs whichever accepted Python built it, any other Python refused."""
from __future__ import annotations

import hashlib
import importlib.util
import json
import pathlib
import posixpath
import re
import shutil
import subprocess
import sys
import zipfile

import pytest

import build
import precompress


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_build_writes_a_self_contained_site(site):
    out, manifest = site
    for name in ["index.html", "app.js", "worker.js", "style.css", "manifest.json",
                 "pyodide/pyodide.mjs", "pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.zip",
                 "pyodide/pyodide-lock.json", f"pyodide/{build.NUMPY_WHEEL}"]:
        assert (out / name).is_file(), name
    # every file in the manifest is there with its hash
    for rel, info in manifest["files"].items():
        assert sha(out / rel) == info["sha256"], rel
    # nothing the page does not need: only numpy and pysim wheels
    wheels = sorted(p.name.split("-")[0] for p in (out / "pyodide").glob("*.whl"))
    assert wheels == ["numpy", "pysim_lstm"]
    # no run-time CDN: every src/href in the page is relative
    html = (out / "index.html").read_text()
    assert "http://" not in html.split('id="pysim-doc"')[0]
    assert "https://" not in html.split('id="pysim-doc"')[0]


IMPORT = re.compile(r"""(?:^import\s[^;]*?from\s*|^import\s*|import\()\s*["'](\.{1,2}/[^"']+)["']""", re.M)
WORKERS = re.compile(r"""new Worker\(new URL\(["']([^"'?]+)""")


def test_every_module_the_page_and_the_worker_import_is_shipped_and_precached(site):
    """From the entry points of index.html, start.js's worker and floor.js's, every module reached
    through static imports, dynamic imports and `new Worker` is in dist/ and in manifest.json
    (what the service worker caches for offline use)."""
    out, manifest = site
    html = (out / "index.html").read_text()
    # (theme.js: a classic script, run before the first paint)
    todo = re.findall(r'<script (?:type="module" )?src="([^"]+)"', html) + ["floor.js"]
    seen = set()
    while todo:
        rel = todo.pop()
        if rel in seen:
            continue
        seen.add(rel)
        assert (out / rel).is_file(), f"{rel} is imported but not shipped"
        assert rel in manifest["files"], f"{rel} is shipped but not in the manifest"
        if rel.endswith(".js") and not rel.startswith("pyodide/"):
            text = (out / rel).read_text()
            here = posixpath.dirname(rel)
            for ref in IMPORT.findall(text) + WORKERS.findall(text):
                todo.append(posixpath.normpath(posixpath.join(here, ref)))
    for name in ["app.js", "start.js", "worker.js", "floor.js"]:
        assert name in seen, name
    # Pyodide's files: the worker bundle imports them by URL (worker/boot.js)
    worker = (out / "worker.js").read_text()
    for name in ["pyodide.mjs", "pyodide.asm.js"]:
        assert f'import(PYODIDE + "{name}")' in worker and f"pyodide/{name}" in manifest["files"]
    # the page's own JavaScript is two requests (the bundle and start.js), the worker's one, and
    # the two small classic scripts that choose the theme and the language before the first paint
    assert seen - {"floor.js"} == {"app.js", "start.js", "worker.js", "theme.js", "lang.js"}, seen
    # and nothing under dist/ is left out of the graph (a module nobody imports is dead)
    shipped = {p.relative_to(out).as_posix() for p in out.rglob("*.js")
               if not p.relative_to(out).as_posix().startswith(("pyodide/", "bokeh/"))}
    # (embed.js is the parent page's, not the site's: web/embed.js)
    assert shipped - {"sw.js", "embed.js"} <= seen, shipped - seen


def test_the_bundles_hold_every_module_of_web(site, tmp_path):
    """build_bundle.py: each of web/'s modules is in dist/app.js or dist/worker.js (whose
    sources, in web/, each one job) or shipped as it is; none is dead or shipped twice."""
    import build_bundle
    out, _ = site
    modules = {p.relative_to(build.WEB).as_posix() for p in build.WEB.rglob("*.js")}
    bundled = build_bundle.bundle(build.WEB, tmp_path, build.ROOT / ".cache" / "downloads")
    shipped = {p.relative_to(out).as_posix() for p in out.rglob("*.js")
               if not p.relative_to(out).as_posix().startswith(("pyodide/", "bokeh/"))}
    assert modules == bundled | shipped, modules ^ (bundled | shipped)
    assert not bundled & shipped, bundled & shipped
    for name in ["bridge.js", "controller.js", "views.js", "features/train.js", "worker/boot.js",
                 "worker/snapshot.js"]:
        assert name in bundled, name
    app, worker = ((out / n).read_text() for n in ("app.js", "worker.js"))
    assert "var Controller = class" in app and "Controller" not in worker
    assert "function unzip" in worker and "function unzip" not in app


def test_modules_are_short():
    """One job per module (issue 11): no module of web/ (JavaScript and Python) or pysim/ is much
    longer than 300 lines (the translation tables are data: web/locales/*.json)."""
    files = [*build.WEB.rglob("*.js"), *build.WEB.rglob("*.py"), *(build.ROOT / "pysim").glob("*.py")]
    long = {p.relative_to(build.ROOT).as_posix(): n for p in files
            if (n := len(p.read_text().splitlines())) > 320}
    assert not long, long


def test_third_party_files_match_the_official_hashes(site):
    out, _ = site
    for name in build.PYODIDE_CORE:
        assert sha(out / "pyodide" / name) == build.PINNED[name]
    lock = json.loads((out / "pyodide" / "pyodide-lock.json").read_text())
    numpy = lock["packages"]["numpy"]
    assert numpy["sha256"] == build.PINNED[build.NUMPY_WHEEL] == sha(out / "pyodide" / numpy["file_name"])
    assert lock["info"]["version"] == build.PYODIDE_VERSION


def test_bokehjs_ships_with_the_compile_hint_and_otherwise_as_released(site):
    import bokeh
    from web.bokeh_csp import _START
    out, _ = site
    src = pathlib.Path(bokeh.__file__).parent / "server" / "static" / "js"
    for name in build.BOKEH_FILES:
        shipped = (out / "bokeh" / name.replace(".min.js", f"-{bokeh.__version__}.min.js")).read_text()
        assert shipped.startswith("//# allFunctionsCalledOnLoad\n'use strict';")  # V8 reads it first
        released = (src / name).read_text()
        # the same script but for the hint and the data: images (web/bokeh_csp.py)
        assert len(shipped.splitlines()) == len(released.splitlines()) + 1
        assert not _START.search(shipped)


def wheel_problems(wheel, pyodide_python, host=sys.version_info[:2]):
    """What in a pysim wheel Pyodide (whose CPython is `pyodide_python`) could not run, built by
    a `host` Python: bytecode of another version, a module with neither .py nor .pyc, a tag
    other than cpXY of Pyodide's version or py3."""
    zf = zipfile.ZipFile(wheel)
    names = zf.namelist()
    modules = {n.rsplit(".", 1)[0] for n in names if n.endswith((".py", ".pyc"))}
    pyc = [n for n in names if n.endswith(".pyc")]
    problems = [f"{m}: no .py or .pyc" for m in sorted(modules) if m + ".py" not in names
                and m + ".pyc" not in names]
    if pyc and host != pyodide_python:  # a host can only write its own bytecode
        problems.append(f"bytecode written by Python {host} for Pyodide's {pyodide_python}: {pyc[:3]}")
    problems += [f"{n}: magic {zf.read(n)[:4]!r}" for n in pyc
                 if zf.read(n)[:4] != importlib.util.MAGIC_NUMBER]
    tag = wheel.name[:-len(".whl")].split("-", 2)[2]
    if tag not in ("py3-none-any", "cp%d%d-none-any" % pyodide_python):
        problems.append(f"tag {tag}")
    return problems


def pysim_wheel(out):
    lock = json.loads((out / "pyodide" / "pyodide-lock.json").read_text())
    return out / "pyodide" / lock["packages"]["pysim"]["file_name"], lock


def test_pysim_wheel_holds_what_pyodide_runs(site):
    """3.12 bytecode when this Python is a 3.12 (Pyodide's), its sources otherwise."""
    wheel, lock = pysim_wheel(site[0])
    pyodide_python = tuple(int(p) for p in lock["info"]["python"].split(".")[:2])
    assert pyodide_python == (3, 12)
    assert wheel_problems(wheel, pyodide_python) == []
    names = zipfile.ZipFile(wheel).namelist()
    compiled = sys.version_info[:2] == pyodide_python
    assert ("pysim/model.pyc" in names) == compiled and ("pysim/model.py" in names) != compiled
    assert any(n.startswith("pysim/data/") and n.endswith(".npz") for n in names)


def test_pysim_wheel_is_in_the_lock_and_the_manifest(site):
    """Listed under the name the worker loads, with the distribution's own name; its sha256 in
    the manifest, whose hash is the build id (service worker cache, memory snapshot)."""
    out, manifest = site
    wheel, lock = pysim_wheel(out)
    entry = lock["packages"]["pysim"]
    assert entry["name"] == "pysim-lstm" and entry["imports"] == ["pysim"]
    assert entry["depends"] == ["numpy"]
    assert wheel.name.startswith("pysim_lstm-0.1.0-")
    assert sha(wheel) == entry["sha256"] == manifest["files"][f"pyodide/{wheel.name}"]["sha256"]


def test_wheel_problems_finds_a_313_wheel(tmp_path):
    """The check above catches the wheel a 3.13 host made before (cp313-tagged 3.13 bytecode)."""
    wheel = tmp_path / "pysim_lstm-0.1.0-cp313-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr("pysim/model.pyc", b"\0\0\r\n" + bytes(12))  # no Python's magic
    got = wheel_problems(wheel, (3, 12), host=(3, 13))
    assert len(got) == 3 and got[0].startswith("bytecode written by Python (3, 13)")
    assert got[1:] == ["pysim/model.pyc: magic " + repr(b"\0\0\r\n"), "tag cp313-none-any"]


@pytest.mark.parametrize("version", [(3, 12, 1), (3, 13, 0)])
def test_the_readme_pythons_build(version):
    build.build_wheel.check_python(version)  # no error


@pytest.mark.parametrize("version", [(3, 10, 13), (3, 11, 7), (3, 14, 0)])
def test_another_python_stops_the_build_with_one_line(version):
    with pytest.raises(build.BuildError) as err:
        build.build_wheel.check_python(version)
    have = ".".join(map(str, version))
    assert str(err.value) == (f"Python {have} cannot build pysim's site: install Python 3.12 or "
                              "3.13 and run `make serve PYTHON=python3.13` (or `python3.12 build.py`)")


def test_the_python_check_runs_before_anything_else():
    """The Makefile runs it with the bare interpreter, before the venv exists: stdlib only."""
    res = subprocess.run([sys.executable, "-S", "-I", str(build.ROOT / "build_wheel.py")],
                         capture_output=True, text=True)
    assert (res.returncode, res.stdout, res.stderr) == (0, "", "")


def test_pyproject_makefile_and_readme_name_the_same_pythons():
    assert build.build_wheel.PYTHONS == ["3.12", "3.13"]
    says = "Python 3.12 or 3.13 as `python3`"
    assert says in (build.ROOT / "Makefile").read_text().splitlines()[0]
    heading = next(line for line in (build.ROOT / "README.md").read_text().splitlines()
                   if line.startswith("## Two commands"))
    assert says in heading, heading


def test_prerendered_trace_is_native_pysim(site):
    out, _ = site
    html = (out / "index.html").read_text()
    start = html.index('id="pysim-boot">') + len('id="pysim-boot">')
    boot = json.loads(html[start:html.index("</script>", start)])
    from pysim import api, presets
    assert boot["trace"] == api.trace_json(presets.load(boot["preset"]), boot["text"])


def test_a_tampered_download_is_refused(site, tmp_path):
    cache = build.ROOT / ".cache" / "downloads"
    bad = tmp_path / "cache"
    shutil.copytree(cache, bad)
    tgz = bad / build.NPM_TARBALL
    tgz.write_bytes(tgz.read_bytes() + b"\0")
    with pytest.raises(build.BuildError, match=f"sha256 mismatch for {build.NPM_TARBALL}"):
        build.main(out=tmp_path / "dist", cache=bad)


def test_a_tampered_wheel_inside_the_carrier_is_refused(site, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    shutil.copytree(build.ROOT / ".cache" / "downloads", cache)
    # the carrier passes (its own pin is moved to the tampered copy) but numpy inside does not
    carrier = cache / build.WHEELS_CARRIER_FILE
    member = build.WHEELS_CARRIER_DIR + build.NUMPY_WHEEL
    src = zipfile.ZipFile(carrier)
    tampered = tmp_path / "carrier.whl"
    with zipfile.ZipFile(tampered, "w") as dst:
        dst.writestr(member, src.read(member) + b"\0")
    tampered.replace(carrier)
    monkeypatch.setitem(build.PINNED, build.WHEELS_CARRIER_FILE, sha(carrier))
    with pytest.raises(build.BuildError, match="sha256 mismatch for numpy"):
        build.main(out=tmp_path / "dist", cache=cache)


# ---- precompressed copies (precompress.py) ---------------------------------------------------
def test_precompressed_copies_are_their_sources_once_decompressed(site):
    import brotli
    import gzip
    import precompress
    out, manifest = site
    copies = sorted(p for p in out.rglob("*") if p.suffix in (".br", ".gz"))
    for name in ["pyodide/pyodide.asm.wasm", "pyodide/pyodide.asm.js", "index.html",
                 "bokeh/bokeh-3.10.2.min.js".replace("3.10.2", __import__("bokeh").__version__)]:
        for suffix in (".br", ".gz"):
            assert (out / (name + suffix)).is_file(), name + suffix
    assert len(copies) > 20
    for copy in copies:
        source = copy.with_suffix("")
        data = copy.read_bytes()
        plain = brotli.decompress(data) if copy.suffix == ".br" else gzip.decompress(data)
        assert plain == source.read_bytes(), copy
        assert len(data) < precompress.KEEP_RATIO * len(plain), copy
        if copy.suffix == ".gz":
            assert data[4:8] == b"\0\0\0\0"  # no time stamp: the same bytes on every build
        rel = copy.relative_to(out).as_posix()
        assert rel not in manifest["files"]  # an encoding of a file, not a file of the site
    # already compressed (the wheels, the stdlib zip): no copy worth keeping
    assert not (out / "pyodide" / build.NUMPY_WHEEL).with_suffix(".whl.br").exists()
    wasm = (out / "pyodide" / "pyodide.asm.wasm").read_bytes()
    assert precompress._gzip(wasm[:100000]) == precompress._gzip(wasm[:100000])
    assert precompress._brotli(wasm[:100000]) == precompress._brotli(wasm[:100000])


def fetch(url, encoding=None):
    import urllib.request
    req = urllib.request.Request(url, headers={"Accept-Encoding": encoding} if encoding else {})
    with urllib.request.urlopen(req) as resp:
        return resp.headers, resp.read()


@pytest.fixture(scope="module")
def served(site):
    import threading
    srv = build.serve(site[0], port=0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/"
    srv.shutdown()
    srv.server_close()


@pytest.mark.parametrize("path, file, ctype", [
    ("pyodide/pyodide.asm.wasm", "pyodide/pyodide.asm.wasm", "application/wasm"),
    ("", "index.html", "text/html"),
    ("app.js?v=1", "app.js", "text/javascript"),
])
def test_serve_answers_with_the_precompressed_copy_the_client_accepts(site, served, path, file, ctype):
    out = site[0]
    for accept, enc, suffix in [("gzip, deflate, br", "br", ".br"), ("gzip", "gzip", ".gz"),
                                (None, None, "")]:
        copy = out / (file + suffix)
        if suffix and not copy.exists():
            continue
        headers, body = fetch(served + path, accept)
        assert headers.get("Content-Encoding") == enc
        assert headers["Content-Type"].startswith(ctype)
        assert headers["Vary"] == "Accept-Encoding"
        assert body == copy.read_bytes()
        assert int(headers["Content-Length"]) == len(body)
    headers, body = fetch(served + "pyodide/" + build.NUMPY_WHEEL, "br")  # no copy: as it is
    assert headers.get("Content-Encoding") is None and body[:2] == b"PK"



def test_serve_never_answers_with_a_copy_older_than_its_file(tmp_path):
    """A file rewritten after precompress (a new build's sw.js) is served as it is: its stale
    .br/.gz copy would hide the new build from the browser's update check of sw.js."""
    import os
    import threading
    js = tmp_path / "sw.js"
    js.write_text("const BUILD = 'new';\n" * 100)
    for suffix, old in [(".br", precompress._brotli), (".gz", precompress._gzip)]:
        (tmp_path / ("sw.js" + suffix)).write_bytes(old(b"const BUILD = 'old';\n" * 100))
        os.utime(tmp_path / ("sw.js" + suffix), ns=(js.stat().st_mtime_ns - 10**9,) * 2)
    srv = build.serve(tmp_path, port=0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        headers, body = fetch(f"http://127.0.0.1:{srv.server_address[1]}/sw.js", "gzip, br")
    finally:
        srv.shutdown()
        srv.server_close()
    assert headers.get("Content-Encoding") is None and body == js.read_bytes()

# ---- prepared embeds (web/embeds.py) ---------------------------------------------------------
def boot_of(out):
    html = (out / "index.html").read_text()
    start = html.index('id="pysim-boot">') + len('id="pysim-boot">')
    return json.loads(html[start:html.index("</script>", start)])


def test_prepared_embeds_are_native_pysim_and_precached(site):
    """The article's two sentences are prepared by default: the first in the boot data, the
    second in traces/ (exactly native pysim's trace, every bit), listed in the manifest so that
    the service worker keeps it."""
    from pysim import api, presets
    out, manifest = site
    boot = boot_of(out)
    first, second = presets.ARTICLE_SENTENCES
    assert boot["text"] == first and first not in boot["prepared"].get("beijing", {})
    path = boot["prepared"]["beijing"][second]
    assert path.startswith("traces/") and path in manifest["files"]
    assert json.loads((out / path).read_text()) == api.trace_json(presets.load("beijing"), second)


def test_the_embed_command_prints_the_snippet_and_prepares_the_trace(tmp_path, monkeypatch, capsys):
    from pysim import api, presets
    from web import embeds
    monkeypatch.setattr(embeds, "CONFIG", tmp_path / "embeds.json")
    text = "leave Shanghai for Chengdu today"
    assert build.cli(["embed", text, "--preset", "untrained", "--views", "c,h", "--t", "2",
                      "--no-build"]) == 0
    snippet = capsys.readouterr().out
    assert ('src="https://YOUR-HOST/pysim/?embed&amp;text=leave%20Shanghai%20for%20Chengdu%20today'
            '&amp;preset=untrained&amp;t=2&amp;views=c,h"') in snippet
    assert '<script src="https://YOUR-HOST/pysim/embed.js" async></script>' in snippet
    config = embeds.load_config()
    assert config[-1] == {"text": text, "preset": "untrained", "t": 2, "views": "c,h"}
    assert len(config) == 3  # the article's two sentences, then this one
    assert build.cli(["embed", text, "--preset", "untrained", "--views", "c,h", "--t", "2",
                      "--no-build"]) == 0
    assert len(embeds.load_config()) == 3  # not twice
    prepared = embeds.write_traces(tmp_path, config, "beijing")
    got = json.loads((tmp_path / prepared["untrained"][text]).read_text())
    assert got == api.trace_json(presets.load("untrained"), text)
    for bad, why in ([["--views", "c,bogus"], "unknown view 'bogus'"],
                     [["--preset", "nope"], "unknown preset 'nope'"], [["--t", "-1"], "0 or more"]):
        assert build.cli(["embed", text, *bad, "--no-build"]) == 1
        assert why in capsys.readouterr().err
    assert len(embeds.load_config()) == 3


def test_views_vocabulary():
    from web import embeds
    assert embeds.parse_views("c,h") == ["c", "h"]
    assert embeds.parse_views("gates, c,f") == ["f", "i", "o", "c"]
    assert embeds.parse_views("all") == list(embeds.VIEWS)
    with pytest.raises(ValueError, match="unknown view 'x'"):
        embeds.parse_views("c,x")
    with pytest.raises(ValueError, match="names no view"):
        embeds.parse_views(",")
    # every part named is a model of the page's layout (web/page.py, web/panels/)
    from bokeh.models import Model
    from web.page import build_layout, build_panels
    from pysim import presets
    layout = build_layout(presets.NAMES, "beijing", "a", presets.ARTICLE_SENTENCES)
    names = {m.name for m in layout.select({"type": Model})} | {
        m.name for m in build_panels().select({"type": Model})}
    parts = {n for v in embeds.VIEWS.values() for n in v} | set(embeds.CONTAINERS)
    assert parts <= names, parts - names
