"""Pages served on 127.0.0.1 for the capture tests and the benchmark: a normal page, a slow
one, a huge one, error statuses, pop-ups, a consent banner, a login wall, a tall page."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NORMAL = """<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;margin:2rem}} .cover{{height:300px;background:#2a6}}</style>
</head><body><div class="cover"></div><h1>{title}</h1>
<p>Välkommen till kontots offentliga sida. Här visas inlägg, profilbild och beskrivning.</p>
{extra}</body></html>"""

POPUP = """<script>
window.open('/normal?title=Popup', '_blank', 'width=400,height=300');
setTimeout(() => window.open('/normal?title=Popup2'), 50);
alert('Hello');
</script>"""

CONSENT = """<div id="banner" style="position:fixed;inset:0;background:#000c;color:#fff">
<p>Vi använder kakor.</p><button class="reject" onclick="this.parentNode.remove()">Neka</button>
</div>"""

LOGIN = """<div style="position:fixed;inset:0;background:#fff">
<form id="loginForm"><input name="username" type="text"><input type="password"></form></div>"""

TRACKER = """<script src="https://www.google-analytics.com/analytics.js"></script>
<img alt="" src="https://stats.g.doubleclick.net/pixel.gif">"""


class PageHandler(BaseHTTPRequestHandler):
    slow_seconds = 8.0
    huge_bytes = 6 * 1024 * 1024

    def log_message(self, *args):  # quiet test output
        pass

    def _send(self, status: int, body: str, content_type="text/html; charset=utf-8"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        with suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(data)

    def do_GET(self):
        path, _, query = self.path.partition("?")
        title = "Osby kommun"
        if query.startswith("title="):
            title = query.removeprefix("title=").split("&")[0]
        if path in ("/", "/normal") or path.startswith("/channel/"):
            self._send(200, NORMAL.format(title=title, extra=""))
        elif path == "/slow":
            time.sleep(self.slow_seconds)
            self._send(200, NORMAL.format(title="Slow", extra=""))
        elif path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            chunk = ("<p>" + "x" * 1020 + "</p>\n").encode()
            try:
                self.wfile.write(b"<!doctype html><html><body>")
                for _ in range(self.huge_bytes // len(chunk)):
                    self.wfile.write(chunk)
                self.wfile.write(b"</body></html>")
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/tall":
            extra = '<div style="height:40000px;background:linear-gradient(#fff,#00f)"></div>'
            self._send(200, NORMAL.format(title="Tall", extra=extra))
        elif path == "/error":
            self._send(500, "<h1>Internal Server Error</h1>")
        elif path == "/forbidden":
            self._send(403, "<h1>Forbidden</h1>")
        elif path == "/popup":
            self._send(200, NORMAL.format(title="Popups", extra=POPUP))
        elif path == "/consent":
            self._send(200, NORMAL.format(title="Consent", extra=CONSENT))
        elif path == "/login":
            self._send(200, NORMAL.format(title="Login", extra=LOGIN))
        elif path == "/tracker":
            self._send(200, NORMAL.format(title="Tracker", extra=TRACKER))
        else:
            self._send(404, "<h1>Not found</h1>")


@contextmanager
def serve_pages(handler=PageHandler):
    """Yield the base URL of a threaded server on 127.0.0.1 (a free port)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
