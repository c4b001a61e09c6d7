"""build.py: a from-scratch build into a temp dir, pinned hashes, a tampered file refused."""
from __future__ import annotations

import hashlib
import json
import shutil
import zipfile

import pytest

import build


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
    assert wheels == ["numpy", "pysim"]
    # no run-time CDN: every src/href in the page is relative
    html = (out / "index.html").read_text()
    assert "http://" not in html.split('id="pysim-doc"')[0]
    assert "https://" not in html.split('id="pysim-doc"')[0]


def test_third_party_files_match_the_official_hashes(site):
    out, _ = site
    for name in build.PYODIDE_CORE:
        assert sha(out / "pyodide" / name) == build.PINNED[name]
    lock = json.loads((out / "pyodide" / "pyodide-lock.json").read_text())
    numpy = lock["packages"]["numpy"]
    assert numpy["sha256"] == build.PINNED[build.NUMPY_WHEEL] == sha(out / "pyodide" / numpy["file_name"])
    assert lock["info"]["version"] == build.PYODIDE_VERSION


def test_pysim_wheel_is_cp312_bytecode_and_in_the_lock(site):
    out, _ = site
    lock = json.loads((out / "pyodide" / "pyodide-lock.json").read_text())
    entry = lock["packages"]["pysim"]
    assert entry["depends"] == ["numpy"]
    wheel = out / "pyodide" / entry["file_name"]
    assert sha(wheel) == entry["sha256"]
    names = zipfile.ZipFile(wheel).namelist()
    assert "pysim/model.pyc" in names and "pysim/model.py" not in names
    assert any(n.startswith("pysim/data/") and n.endswith(".npz") for n in names)


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
