"""The pysim wheel the page installs, and which Pythons can build the site (used by build.py).

    python build_wheel.py    # one line and exit status 1 if this Python cannot build the site

Pythons: those of `requires-python` in pyproject.toml, 3.12 and 3.13 (each measured: it installs
requirements-dev.txt and builds a site whose page starts and traces as native pysim; 3.11 cannot
install requirements-dev.txt's numpy). Any other stops the build at once with one line that
says what to install (check_python); the Makefile runs this file before it makes the venv, so
it parses on any Python 3.6+ (no `from __future__ import annotations`: string annotations).

Bytecode: Pyodide 0.27.7 runs CPython 3.12 (`info.python` of its pyodide-lock.json), and a .pyc
is only read by the minor version that wrote it. So the wheel carries
- 3.12 bytecode when the host Python is a 3.12 (`pyodide py-compile`, which writes the host's
  bytecode and tags the wheel cp312-none-any): no compiling in the browser;
- the sources otherwise (py3-none-any): Pyodide compiles them as it imports them, as it does for
  its own standard library and numpy, which ship sources too.
The build log says which. Either wheel is a pure-Python wheel, which Pyodide installs whatever
its tag (its loader reads file_name and sha256 from the lock and checks no tag).

Names: the distribution is `pysim-lstm` (pyproject.toml: `pysim` on the package index is another
project), the import name `pysim`. The page's lock lists the wheel under PAGE_PACKAGE, the name
web/worker.js loads it by (`loadPackage(["numpy", "pysim"])`); the entry's own `name` is the
distribution's, as pyodide-lock requires of a wheel's entry.

Same sources, same wheel, byte for byte (fixed zip times): the build id (the hash of
manifest.json, which lists the wheel's sha256) keys the service worker's cache and the worker's
memory snapshot, and changes exactly when the wheel's content does (sources vs bytecode too).
"""
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
PAGE_PACKAGE = "pysim"  # the lock key web/worker.js loads (the import name)


class BuildError(RuntimeError):
    """A build step failed; the message says what to do."""


def project() -> "tuple[str, tuple[int, int], tuple[int, int]]":
    """(distribution name, lowest Python, first Python excluded) from pyproject.toml."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    name = re.search(r'^name = "([^"]+)"', text, re.M).group(1)
    lo, hi = re.search(r'^requires-python = ">=(\d+\.\d+),\s*<(\d+\.\d+)"', text, re.M).groups()
    return name, tuple(map(int, lo.split("."))), tuple(map(int, hi.split(".")))


DIST, LOWEST, BEYOND = project()
WHEEL_PREFIX = DIST.replace("-", "_") + "-"  # every wheel of the distribution is named so
PYTHONS = [f"3.{m}" for m in range(LOWEST[1], BEYOND[1])]  # ["3.12", "3.13"]


def check_python(version=sys.version_info) -> None:
    """Raise BuildError (one line) unless this Python is one that builds the site."""
    if not LOWEST <= tuple(version[:2]) < BEYOND:
        have = ".".join(map(str, version[:3]))
        raise BuildError(f"Python {have} cannot build pysim's site: install Python "
                         f"{' or '.join(PYTHONS)} and run `make serve PYTHON=python{PYTHONS[-1]}` "
                         f"(or `python{PYTHONS[0]} build.py`)")


def pyodide_python(lock: dict) -> "tuple[int, int]":
    """The (major, minor) of the CPython inside Pyodide, from its lock."""
    return tuple(int(p) for p in lock["info"]["python"].split(".")[:2])


def run(cmd: "list[str]", **kw) -> None:
    res = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if res.returncode:
        raise BuildError(f"command failed ({res.returncode}): {' '.join(cmd)}\n{res.stderr[-2000:]}")


def _pyodide_cli() -> str:
    exe = Path(sys.executable).with_name("pyodide")
    return str(exe) if exe.exists() else "pyodide"


def build_pysim_wheel(dest: Path, lock: dict, packages: "list[str]") -> "tuple[str, dict, str]":
    """Write pysim's wheel into `dest`: `pip wheel`, then bytecode where the host can write
    Pyodide's (see the module docstring). Returns (file name, the lock of `packages` + pysim,
    what the wheel holds: "3.12 bytecode (…)" or "sources (…)" for the build log)."""
    target = pyodide_python(lock)
    host = sys.version_info[:2]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # fixed zip timestamps: the same sources give the same wheel, hence the same build id
        reproducible = {**os.environ, "SOURCE_DATE_EPOCH": "315532800"}
        # from a copy of the sources: setuptools writes build/ and *.egg-info next to them,
        # and two builds at once (tests and benchmarks) must not collide
        src = tmp / "src"
        src.mkdir()
        for name in ("pyproject.toml", "README.md"):
            shutil.copy(ROOT / name, src / name)
        shutil.copytree(ROOT / "pysim", src / "pysim", ignore=shutil.ignore_patterns("__pycache__"))
        wheels = tmp / "wheel"
        run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
             "-w", str(wheels), str(src)], env=reproducible)
        (wheel,) = wheels.glob(WHEEL_PREFIX + "*.whl")
        lock_file = wheels / "pyodide-lock.json"
        lock_file.write_text(json.dumps(dict(lock, packages={k: lock["packages"][k] for k in packages})))
        run([_pyodide_cli(), "lockfile", "add-wheels", "--input", str(lock_file),
             "--output", str(lock_file), "--base-path", str(wheels), str(wheel)])
        if host == target:
            run([_pyodide_cli(), "py-compile", "--silent", str(wheels)], env=reproducible)
            holds = f"{target[0]}.{target[1]} bytecode (written by host Python {platform.python_version()})"
        else:
            holds = (f"sources (host Python {platform.python_version()} cannot write Pyodide's "
                     f"{target[0]}.{target[1]} bytecode)")
        new_lock = json.loads(lock_file.read_text())
        entry = new_lock["packages"].pop(DIST)
        new_lock["packages"][PAGE_PACKAGE] = entry
        fixed_zip_times(wheels / entry["file_name"], dest / entry["file_name"])
    entry["sha256"] = sha256(dest / entry["file_name"])
    for pkg in packages:  # py-compile must not have touched the official wheels
        new, old = new_lock["packages"][pkg], lock["packages"][pkg]
        if (new["file_name"], new["sha256"]) != (old["file_name"], old["sha256"]):
            raise BuildError(f"the lock entry of {pkg} changed during the build")
    return entry["file_name"], new_lock, holds


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fixed_zip_times(src: Path, dest: Path) -> None:
    """Copy a zip with every entry dated 1980-01-01 (py-compile stamps the current time), so
    an unchanged pysim gives a byte-identical wheel."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in sorted(zin.infolist(), key=lambda i: i.filename):
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.external_attr = info.external_attr
            zout.writestr(fixed, zin.read(info), compress_type=zipfile.ZIP_DEFLATED)


if __name__ == "__main__":
    try:
        check_python()
    except BuildError as e:
        sys.exit(f"build failed: {e}")
