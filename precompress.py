"""Precompressed copies of the built site's larger files, for hosts that serve them as they are.

For every file of dist/ of at least MIN_BYTES whose kind compresses (COMPRESSIBLE: the wasm,
Pyodide's JavaScript, the stdlib zip and the wheels, BokehJS, index.html, the JSON), build.py
writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip, level 9) next to it, each only if
it is smaller than KEEP_RATIO of the source (a file that is already compressed gains nothing).
A host then answers a request for `pyodide/pyodide.asm.wasm` from `.br` or `.gz` with
`Content-Encoding: br`/`gzip`, `Vary: Accept-Encoding` and the source's own Content-Type
(README, "Host it anywhere"; build.serve() does the same).

- Deterministic: brotli is; gzip is written with mtime 0 and no file name. The same source gives
  the same bytes on every build and machine.
- Cached: brotli at quality 11 takes ~25 s for the 10 MB wasm, so each compressed copy is kept in
  the download cache under the sha256 of its source (`.cache/downloads/compressed/`); a rebuild
  compresses only the files that changed (index.html, the page's modules).
- Not in manifest.json: the manifest lists the files the page and the service worker fetch by
  name; the browser decodes a `.br`/`.gz` answer into exactly the source's bytes (its sha256,
  the integrity the service worker checks), so the copies are an encoding of those files, not
  files of their own.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from pathlib import Path

MIN_BYTES = 1024
KEEP_RATIO = 0.9
COMPRESSIBLE = {".js", ".mjs", ".wasm", ".zip", ".whl", ".json", ".html", ".css", ".svg"}
ENCODINGS = {"br": ".br", "gzip": ".gz"}  # Content-Encoding -> file suffix, preferred first


def _brotli(data: bytes) -> bytes:
    import brotli  # a build dependency (requirements-dev.txt), not one of pysim's
    return brotli.compress(data, quality=11)


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


CODECS = {".br": _brotli, ".gz": _gzip}


def _cached(cache: Path | None, data: bytes, suffix: str) -> bytes:
    if cache is None:
        return CODECS[suffix](data)
    path = cache / (hashlib.sha256(data).hexdigest() + suffix)
    if path.exists():
        return path.read_bytes()
    out = CODECS[suffix](data)
    cache.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=cache)  # other builds may share the cache: write, then rename
    with os.fdopen(fd, "wb") as f:
        f.write(out)
    os.replace(tmp, path)
    return out


def candidates(out: Path) -> list[Path]:
    """The files of `out` worth compressing (sorted)."""
    return [p for p in sorted(out.rglob("*")) if p.is_file() and p.suffix in COMPRESSIBLE
            and p.stat().st_size >= MIN_BYTES]


def precompress(out: Path, cache: Path | None = None) -> dict:
    """Write the .br and .gz copies in `out`; returns {path: {"bytes", "br", "gz"}} (sizes,
    None where a copy was not worth keeping)."""
    report = {}
    for path in candidates(out):
        data = path.read_bytes()
        row = {"bytes": len(data)}
        for suffix in CODECS:
            packed = _cached(cache, data, suffix)
            keep = len(packed) < KEEP_RATIO * len(data)
            if keep:
                path.with_name(path.name + suffix).write_bytes(packed)
            row[suffix[1:]] = len(packed) if keep else None
        report[path.relative_to(out).as_posix()] = row
    return report


def is_copy(path: Path) -> bool:
    """A precompressed copy (`x.br`/`x.gz` next to `x`), not a file of the site."""
    return path.suffix in CODECS and path.with_suffix("").exists()
