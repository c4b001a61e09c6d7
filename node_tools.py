"""The npm tools the accessibility tests and benchmarks use, pinned, installed into a gitignored
cache (.cache/node/node_modules) with npm by package name:

    python node_tools.py          # install every pinned tool that is missing (make test / bench)

- axe-core: injected into the page by tests/web/test_a11y.py (zero violations, each tab).
- lighthouse: run by benchmarks/lighthouse.py (accessibility, best practices, SEO) against
  Debian's Chromium (CHROME_PATH). Lighthouse 13 needs a newer Node than Node 20.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
NODE_DIR = ROOT / ".cache" / "node"
PINS = {"axe-core": "4.14.1", "lighthouse": "12.2.3"}


def installed(name: str) -> bool:
    pkg = NODE_DIR / "node_modules" / name / "package.json"
    return pkg.exists() and json.loads(pkg.read_text()).get("version") == PINS[name]


def ensure(*names: str) -> Path:
    """Install the pinned versions of `names` (all: none given) that are missing; returns
    node_modules."""
    missing = [n for n in (names or PINS) if not installed(n)]
    if missing:
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is needed for " + ", ".join(missing) + " (Node 20: apt-get install npm)")
        NODE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "install", "--no-audit", "--no-fund", "--no-save", "--prefix", str(NODE_DIR),
                        *(f"{n}@{PINS[n]}" for n in missing)], check=True, stdout=sys.stderr)
    return NODE_DIR / "node_modules"


def axe_source() -> str:
    """axe-core's browser script (axe.min.js)."""
    return (ensure("axe-core") / "axe-core" / "axe.min.js").read_text()


def lighthouse_cli() -> Path:
    return ensure("lighthouse") / "lighthouse" / "cli" / "index.js"


if __name__ == "__main__":
    ensure()
    print(f"[node_tools] {', '.join(f'{n}@{v}' for n, v in PINS.items())} in {NODE_DIR / 'node_modules'}")
