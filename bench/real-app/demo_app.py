#!/usr/bin/env python3
"""A small web application for bench/real-app (issue 21's benchmark): login with a CSRF
token tied to a pre-session cookie, a session cookie after login and a 303 to /home, a cart
that needs the session, a form post, a logout, and /plain (no cookies) for the plain shape.
Listens on 127.0.0.1 only and exits by itself after --time seconds (bounded)."""
import argparse
import http.server
import secrets
import threading
import urllib.parse

SESSIONS = {}
LOCK = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def cookies(self):
        out = {}
        for part in self.headers.get("Cookie", "").split(";"):
            if "=" in part:
                k, v = part.strip().split("=", 1)
                out[k] = v
        return out

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def form(self):
        n = int(self.headers.get("Content-Length", "0"))
        return urllib.parse.parse_qs(self.rfile.read(n).decode())

    def session_user(self):
        with LOCK:
            return SESSIONS.get(self.cookies().get("session", ""))

    def do_GET(self):
        if self.path == "/plain":
            self.reply(200, b"ok")
        elif self.path == "/login":
            token = secrets.token_hex(8)
            self.reply(200, b'<form><input name="csrf" value="t' + token.encode() + b'"></form>',
                       [("Set-Cookie", "pre=t" + token + "; Path=/; HttpOnly")])
        elif self.path in ("/home", "/cart"):
            user = self.session_user()
            if user is None:
                self.reply(401, b"login first")
            else:
                self.reply(200, ("Cart of " if self.path == "/cart" else "Welcome ").encode() + user.encode())
        else:
            self.reply(404)

    def do_POST(self):
        if self.path == "/login":
            f = self.form()
            if f.get("csrf", [""])[0] != self.cookies().get("pre", "-"):
                self.reply(403, b"bad csrf")
                return
            sid = secrets.token_hex(16)
            with LOCK:
                SESSIONS[sid] = f.get("user", ["?"])[0]
            self.reply(303, b"", [("Location", "/home"), ("Set-Cookie", "session=" + sid + "; Path=/; HttpOnly")])
        elif self.path == "/cart":
            user = self.session_user()
            f = self.form()
            self.reply(200 if user else 401, ("added " + f.get("item", ["?"])[0]).encode())
        elif self.path == "/logout":
            with LOCK:
                SESSIONS.pop(self.cookies().get("session", ""), None)
            self.reply(303, b"", [("Location", "/login"), ("Set-Cookie", "session=; Max-Age=0; Path=/")])
        else:
            self.reply(404)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=8091)
    p.add_argument("--time", type=float, default=120, help="exit after this many seconds")
    a = p.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    server.daemon_threads = True
    threading.Timer(a.time, server.shutdown).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
