#!/usr/bin/env python3
"""A small HTTP/1.1 server on 127.0.0.1 for bench/transport-probe/selfcheck.

Paths: /chunked (chunked JSON body), /timing (two Server-Timing headers), /close
(Connection: close), /slow (answers after 2 s), /bad (503), /garbage (not HTTP, then close).
Prints its port on stdout, then serves until killed (the selfcheck script stops it by PID).
"""
import http.server
import socketserver
import sys
import time


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are separate writes

    def log_message(self, *args):
        pass

    def _drain(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)

    def _reply(self, status, body, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        self.do_GET()

    def do_GET(self):
        self._drain()
        if self.path == "/chunked":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b'{"grab_status":', b' 0, "message": "ok"}'):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        elif self.path == "/timing":
            self._reply(200, b'{"ok": true}', [("Server-Timing", "shard-1;dur=2.5, db;dur=1"),
                                                ("Server-Timing", "shard-3;dur=1")])
        elif self.path == "/close":
            self.close_connection = True
            self._reply(200, b'{"ok": true}', [("Connection", "close")])
        elif self.path == "/slow":
            time.sleep(2)
            self._reply(200, b'{"ok": true}')
        elif self.path == "/bad":
            self._reply(503, b'{"error": "busy"}')
        elif self.path == "/garbage":
            self.wfile.write(b"HELLO\r\n\r\n")
            self.close_connection = True
        else:
            self._reply(404, b"{}")


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the probe hangs up on /slow after its timeout: a broken pipe is expected


server = Server(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
