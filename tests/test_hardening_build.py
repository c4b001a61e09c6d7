"""What build.py does for offline use and for a strict CSP (issue 5), checked on the built site:
the service worker carries the build id, BokehJS has no data: images left, the page no inline
script. The browser side is in tests/web/test_offline.py and tests/web/test_csp.py."""
from __future__ import annotations

import base64
import hashlib
import re

from web.bokeh_csp import ICONS, externalize
from web.offline import PLACEHOLDER, build_id


def test_the_service_worker_carries_the_build_id(site):
    out, manifest = site
    sw = (out / "sw.js").read_text()
    bid = hashlib.sha256((out / "manifest.json").read_bytes()).hexdigest()[:16]
    assert build_id(out) == bid
    assert f'const BUILD = "{bid}";' in sw and PLACEHOLDER not in sw
    assert "sw.js" not in manifest["files"]  # written after the manifest, whose hash it holds


def test_bokehjs_has_no_data_images_left(site):
    out, manifest = site
    icons = set()
    for js in (out / "bokeh").glob("*.js"):
        text = js.read_text()
        assert not re.search(r"url\((\\?['\"])?data:", text), js.name
        icons |= set(re.findall(r"url\((bokeh/icons/[0-9a-f]{16}\.(?:svg|png))\)", text))
    assert len(icons) > 50  # the tool icons, the logo, the <select> arrow, ...
    assert icons <= set(manifest["files"])
    for icon in icons:
        data = (out / icon).read_bytes()
        assert data.startswith(b"\x89PNG") if icon.endswith(".png") else b"<svg" in data


def test_the_page_has_no_inline_script_or_handler(site):
    out, _ = site
    html = (out / "index.html").read_text()
    page = html.split('<script type="application/json" id="pysim-doc">')[0]
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert " src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\son[a-z]+\s*=", page)
    assert "javascript:" not in page


def test_externalize_handles_each_form(tmp_path):
    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
    js = tmp_path / "x.min.js"
    js.write_text(
        "a=':host{--i:url(\"data:image/svg+xml,%3Csvg%20a%3D%22(1)%22%3E%3C%2Fsvg%3E\")}';"
        f"b=\"p{{background:url(data:image/png;base64,{base64.b64encode(png).decode()})}}\";"
        "c='s{background-image:url(\\'data:image/svg+xml;utf8,<svg v=\"1\"></svg>\\')}';"
        "d=`x{background:url(data:image/svg+xml;base64,PHN2Zy8+)}`;")
    assert externalize(js, tmp_path) == 4
    text = js.read_text()
    assert "data:" not in text
    names = re.findall(rf"url\(({ICONS}/[0-9a-f]{{16}}\.\w+)\)", text)
    got = [(tmp_path / n).read_bytes() for n in names]
    assert got == [b'<svg a="(1)"></svg>', png, b'<svg v="1"></svg>', b"<svg/>"]
    assert text.startswith("a=':host{--i:url(bokeh/icons/") and text.endswith(")}`;")
