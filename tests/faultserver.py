"""A local threaded HTTP server for tests and benchmarks: images with injectable faults, and a fake GBIF
occurrence API.

    with FaultServer({"a.jpg": jpeg_bytes}) as srv:
        srv.url("a.jpg")                       # served as it is
        srv.url("a.jpg", fault="500", n=2)     # HTTP 500 twice, then the image
        srv.requests["/img/a.jpg"]             # how many times that path was asked for

Faults (``fault=``): ``404``; ``429`` (Retry-After ``ra`` seconds, ``n`` times, then success); ``429date``
(Retry-After as an HTTP date); ``500`` / ``503`` (``n`` times, then success); ``reset`` (connection reset ``n``
times); ``truncate`` (Content-Length says more than is sent; ``n`` times); ``truncated_jpeg`` (a complete
response holding the first half of the file); ``wrong_type`` (Content-Type ``ctype``, default
application/json); ``html`` (a web page, text/html); ``html_as_image`` (a web page labelled image/jpeg);
``big`` (``size`` bytes with Content-Length); ``big_chunked`` (``size`` bytes, chunked, no length); ``bomb``
(a PNG declaring ``side`` x ``side`` pixels, a few kB on the wire); ``trickle`` (``rate`` bytes every 50 ms);
``redirect`` (302 to ``to``). Any URL takes ``ms`` (extra latency). The server-wide ``latency_s`` applies to all.
``srv.timeline`` holds (arrival, end, path, status) of every request, wall clock; ``srv.max_in_flight`` the most
requests it was answering at once.

Run it alone for benchmarks: ``python tests/faultserver.py --root DIR --latency-ms 100`` prints its URL.
"""

from __future__ import annotations

import argparse
import email.utils
import json
import mimetypes
import os
import socket
import struct
import sys
import threading
import time
import zlib
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode, urlsplit

HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>Not found</title></head><body>Image not available</body></html>"
)


def bomb_png(side: int) -> bytes:
    """A valid 1-bit PNG of side x side pixels, all zero: tiny compressed, huge decoded."""
    raw_row = b"\x00" + b"\x00" * ((side + 7) // 8)
    comp = zlib.compressobj(9)
    body = b"".join(comp.compress(raw_row) for _ in range(side)) + comp.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format, *args):  # noqa: A002
        pass

    def send_response(self, code: int, message: str | None = None) -> None:
        self.sent_status = code
        super().send_response(code, message)

    # ------------------------------------------------------------------ helpers

    def _send(self, status: int, body: bytes, ctype: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _reset(self) -> None:
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    # ------------------------------------------------------------------ routes

    def do_GET(self) -> None:  # noqa: N802
        srv = self.server.owner
        parts = urlsplit(self.path)
        key = parts.path + (f"?{parts.query}" if parts.query else "")
        arrival = time.time()
        self.sent_status = 0
        with srv.lock:
            srv.requests[key] += 1
            srv.requests[parts.path] += 1 if parts.query else 0
            attempt = srv.requests[key]
            srv.total += 1
            srv.in_flight += 1
            srv.max_in_flight = max(srv.max_in_flight, srv.in_flight)
        try:
            self._route(srv, parts, key, attempt)
        finally:
            with srv.lock:
                srv.in_flight -= 1
                srv.timeline.append((arrival, time.time(), parts.path, self.sent_status))

    def _route(self, srv: FaultServer, parts, key: str, attempt: int) -> None:
        q = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        delay = srv.latency_s + float(q.get("ms", 0)) / 1000.0
        if delay:
            time.sleep(delay)
        try:
            if parts.path.startswith("/occurrence/"):
                self._api(srv, parts.path.rsplit("/", 1)[-1], attempt)
            elif parts.path.startswith("/img/"):
                self._image(srv, parts.path[len("/img/") :], q, attempt)
            else:
                self._send(404, b"no such route", "text/plain")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _api(self, srv: FaultServer, gbif_id: str, attempt: int) -> None:
        fault = srv.api_faults.get(gbif_id)
        if fault is not None:
            kind, times = fault
            if attempt <= times:
                if kind == "429":
                    self._send(429, b"slow down", "text/plain", {"Retry-After": "0"})
                    return
                self._send(int(kind), b"error", "text/plain")
                return
        record = srv.occurrences.get(gbif_id)
        if record is None:
            self._send(404, b'{"error":"not found"}', "application/json")
            return
        self._send(200, json.dumps(record).encode(), "application/json")

    def _image(self, srv: FaultServer, name: str, q: dict, attempt: int) -> None:
        fault = q.get("fault", "")
        times = int(q.get("n", 10**9))
        data = srv.file(name)
        ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if fault == "bomb":
            self._send(200, bomb_png(int(q.get("side", 20000))), "image/png")
            return
        if fault in ("big", "big_chunked"):
            size = int(q.get("size", 1_000_000))
            body = b"\xff\xd8\xff\xe0" + os.urandom(max(0, size - 4))
            if fault == "big":
                self._send(200, body, "image/jpeg")
                return
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(body), 65536):
                piece = body[i : i + 65536]
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
            return
        if fault == "html":
            self._send(200, HTML_PAGE, "text/html; charset=utf-8")
            return
        if fault == "html_as_image":
            self._send(200, HTML_PAGE, "image/jpeg")
            return
        if fault == "redirect":
            self._send(302, b"", "text/plain", {"Location": q.get("to", "/img/" + name)})
            return
        if data is None or fault == "404":
            self._send(404, b"not found", "text/plain")
            return
        if fault in ("429", "429date") and attempt <= times:
            wait = float(q.get("ra", 1))
            value = (
                str(int(wait)) if fault == "429" else email.utils.formatdate(time.time() + wait, usegmt=True)
            )
            self._send(429, b"too many requests", "text/plain", {"Retry-After": value})
            return
        if fault in ("500", "503") and attempt <= times:
            self._send(int(fault), b"server error", "text/plain")
            return
        if fault == "reset" and attempt <= times:
            self._reset()
            return
        if fault == "truncate" and attempt <= times:
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_WR)  # a clean end of stream, short of Content-Length
            self.close_connection = True
            return
        if fault == "truncated_jpeg":
            self._send(200, data[: len(data) // 2], ctype)
            return
        if fault == "wrong_type":
            self._send(200, data, q.get("ctype", "application/json"))
            return
        if fault == "trickle":
            step = int(q.get("rate", 64))
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            for i in range(0, len(data), step):
                self.wfile.write(data[i : i + step])
                self.wfile.flush()
                time.sleep(0.05)
            return
        self._send(200, data, q.get("ctype", ctype))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256
    owner: FaultServer

    def handle_error(self, request, client_address) -> None:
        pass  # resets and aborted transfers are what this server is for


class FaultServer:
    """Serve ``files`` (name -> bytes) and/or the files under ``root`` at ``/img/<name>``; the fake GBIF API
    answers ``/occurrence/<id>`` from ``occurrences``. Use as a context manager."""

    def __init__(
        self,
        files: dict[str, bytes] | None = None,
        *,
        root: str | Path | None = None,
        latency_s: float = 0.0,
        port: int = 0,
    ):
        self.files = dict(files or {})
        self.root = Path(root) if root else None
        self.latency_s = latency_s
        self.occurrences: dict[str, dict] = {}
        self.api_faults: dict[str, tuple[str, int]] = {}
        self.requests: Counter = Counter()
        self.total = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.timeline: list[tuple[float, float, str, int]] = []
        self.lock = threading.Lock()
        self.httpd = _Server(("127.0.0.1", port), _Handler)
        self.httpd.owner = self
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def file(self, name: str) -> bytes | None:
        if name in self.files:
            return self.files[name]
        if self.root is not None:
            path = (self.root / name).resolve()
            if path.is_relative_to(self.root.resolve()) and path.is_file():
                return path.read_bytes()
        return None

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, name: str, **query) -> str:
        q = f"?{urlencode(query)}" if query else ""
        return f"{self.base}/img/{quote(name)}{q}"

    def count(self, url: str) -> int:
        """Requests made for exactly this URL (path and query)."""
        parts = urlsplit(url)
        return self.requests[parts.path + (f"?{parts.query}" if parts.query else "")]

    def __enter__(self) -> FaultServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description="serve a folder of images with optional latency (benchmarks)")
    ap.add_argument("--root", required=True)
    ap.add_argument("--latency-ms", type=float, default=0.0)
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args(argv)
    with FaultServer(root=args.root, latency_s=args.latency_ms / 1000.0, port=args.port) as srv:
        print(srv.base, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
