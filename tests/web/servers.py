"""A static server for one test module: build.serve's handler, plus a request log, a CSP
header, and stop/start on the same port (a service worker belongs to one origin)."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import build

# the policy the site must work under (issue 5): no inline scripts, no eval, no data: images
STRICT_CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; "
              "style-src 'self' 'unsafe-inline'")


class SiteServer:
    def __init__(self, root: Path, csp: str | None = None):
        self.root, self.csp, self.port = Path(root), csp, 0
        self.log: list[tuple[str, int]] = []  # (path, status) of every response, in order
        self.srv = None
        self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def _handler(self):
        log = self.log

        class Logged(build.Handler):
            csp = self.csp

            def log_request(self, code="-", size="-"):
                log.append((self.path, int(getattr(code, "value", code))))

        return functools.partial(Logged, directory=str(self.root))

    def start(self):
        self.srv = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self.port = self.srv.server_address[1]
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()

    def stop(self):
        if self.srv:
            self.srv.shutdown()
            self.srv.server_close()
            self.srv = None

    def requests(self, status: int | None = None) -> list[str]:
        """Paths requested (without the query), optionally only those answered with `status`."""
        return [p.split("?")[0] for p, s in self.log if status is None or s == status]
