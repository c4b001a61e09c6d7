"""BokehJS under a strict Content-Security-Policy: its icons as files, not `data:` URLs.

BokehJS's built-in stylesheets (tool icons, the toolbar logo, the <select> arrow, ...) carry
their images as `url("data:image/...")`. A policy with `default-src 'self'` and no `img-src data:`
blocks them, and every blocked image is a console error. build.py runs `externalize` over the
copied BokehJS files: each such image is written once to bokeh/icons/<sha256[:16]>.<ext> and its
`url(data:...)` becomes `url(bokeh/icons/...)`. Shadow-root stylesheets resolve relative URLs
against the document, so the path is relative to index.html (dist/'s root). Only literal
`url(data:image/...)` in CSS text is rewritten: BokehJS features that build data URLs at run
time (hatch patterns, SVG icon models) are not used by pysim's page.
"""
from __future__ import annotations

import base64
import hashlib
import re
import urllib.parse
from pathlib import Path

ICONS = "bokeh/icons"  # relative to dist/ (and so to index.html)
# url( then an optional quote (in the minified JS, a single quote may be escaped as \')
_START = re.compile(r"url\((\\'|\"|'|)data:image/")
_EXT = {"image/svg+xml": "svg", "image/png": "png", "image/gif": "gif", "image/jpeg": "jpg"}


def _decode(url: str) -> tuple[str, bytes]:
    """A data: URL (as written in the JS source) -> (extension, bytes)."""
    header, _, body = url.partition(",")
    mime, *params = header[len("data:"):].split(";")
    if mime not in _EXT:
        raise ValueError(f"unexpected data URL type {mime!r}")
    # undo the JS string escapes the minifier leaves in CSS text
    body = body.replace("\\'", "'").replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")
    if "base64" in params:
        data = base64.b64decode(body)
    else:
        data = urllib.parse.unquote_to_bytes(body)
    return _EXT[mime], data


def externalize(js_path: Path, out: Path) -> int:
    """Rewrite the CSS `url(data:image/...)` in `js_path` to files under out/bokeh/icons/.

    Returns how many URLs were rewritten. Raises ValueError on anything it cannot parse, so a
    new BokehJS release that changes the format stops the build instead of shipping broken icons.
    """
    text = js_path.read_text(encoding="utf-8")
    icons = out / ICONS
    parts, pos, count = [], 0, 0
    for m in _START.finditer(text):
        if m.start() < pos:
            continue
        quote = m.group(1)
        end_marker = quote + ")"
        start = m.end() - len("data:image/")
        end = text.find(end_marker, start)
        if end < 0 or end - start > 200_000:
            raise ValueError(f"{js_path.name}: unterminated url(data:...) at {m.start()}")
        ext, data = _decode(text[start:end])
        name = f"{hashlib.sha256(data).hexdigest()[:16]}.{ext}"
        icons.mkdir(parents=True, exist_ok=True)
        (icons / name).write_bytes(data)
        parts.append(text[pos:m.start()])
        parts.append(f"url({ICONS}/{name})")
        pos = end + len(end_marker)
        count += 1
    parts.append(text[pos:])
    js_path.write_text("".join(parts), encoding="utf-8")
    return count
