"""The service worker of a build: web/sw.js with the build id written in (see web/sw.js).

The build id is the start of manifest.json's sha256, so it changes whenever any file of the
build changes; sw.js itself is written after the manifest and is not listed in it (the browser
checks sw.js for updates by itself, bypassing every cache).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

WEB = Path(__file__).resolve().parent
PLACEHOLDER = "__PYSIM_BUILD__"
ID_CHARS = 16


def build_id(out: Path) -> str:
    return hashlib.sha256((out / "manifest.json").read_bytes()).hexdigest()[:ID_CHARS]


def write_service_worker(out: Path) -> str:
    """Write out/sw.js for the build in `out` (manifest.json must be written); returns the id."""
    src = (WEB / "sw.js").read_text(encoding="utf-8")
    if src.count(PLACEHOLDER) != 1:
        raise RuntimeError(f"web/sw.js must contain {PLACEHOLDER} exactly once")
    bid = build_id(out)
    (out / "sw.js").write_text(src.replace(PLACEHOLDER, bid), encoding="utf-8")
    return bid
