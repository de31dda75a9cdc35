#!/usr/bin/env python3
"""Serves the built course on localhost.

Why not plain `python3 -m http.server`: the in-page compiler is ~100 MB, and `make site` writes
compressed copies of the big files beside them (`name.br`, `name.gz`, see wasm/precompress.mjs).
This server sends the smallest copy the browser accepts, with the matching Content-Encoding, so a
learner downloads about a sixth of the bytes. Every response carries a validator (ETag), so a
browser that has the compiler in its cache revalidates it with a 304 instead of downloading it.
"""
import argparse
import email.utils
import functools
import http.server
import os
import socketserver
import sys
import urllib.parse

# Most compact first; the first one the request accepts (and that exists on disk) wins.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


def accepted_encodings(header):
    """The codings an Accept-Encoding header allows (q=0 means "not this one")."""
    accepted = set()
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        name = name.strip().lower()
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if name and q > 0:
            accepted.add(name)
    return accepted


class CourseHandler(http.server.SimpleHTTPRequestHandler):
    # Chromium does not keep a `Cache-Control: no-cache` response from an HTTP/1.0 server, so it
    # would download the compiler again on every visit; over HTTP/1.1 it revalidates it instead.
    # (Every response here has a Content-Length, which HTTP/1.1 keep-alive needs.)
    protocol_version = "HTTP/1.1"
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        # compileStreaming() refuses a module served with any other type.
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".tar": "application/x-tar",
        ".jsonl": "application/x-ndjson",
        ".pch": "application/octet-stream",
    }

    def send_head(self):
        path = self.translate_path(self.path)
        if not os.path.isfile(path):
            return super().send_head()  # directories (index.html, redirects) and 404s
        accepted = accepted_encodings(self.headers.get("Accept-Encoding"))
        for coding, suffix in ENCODINGS:
            if coding in accepted and os.path.isfile(path + suffix):
                return self._send_file(path, path + suffix, coding)
        return self._send_file(path, path, None)

    def _send_file(self, path, body_path, coding):
        stat = os.stat(body_path)
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}{"-" + coding if coding else ""}"'
        if etag in [tag.strip() for tag in self.headers.get("If-None-Match", "").split(",")]:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        body = open(body_path, "rb")
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        if coding:
            self.send_header("Content-Encoding", coding)
        self.send_header("Content-Length", str(stat.st_size))
        self.send_header("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True))
        self.send_header("ETag", etag)
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return body

    def end_headers(self):
        # A URL that names its content's hash (`?v=<hash>`, as the in-page compiler's files are
        # asked for) never changes meaning: keep it. Everything else is revalidated, so a rebuilt
        # site is seen at once and an unchanged file costs a 304.
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        if query.get("v"):
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        else:
            self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format, *args):
        if os.environ.get("ACM_SERVE_QUIET"):
            return
        super().log_message(format, *args)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default="_build/html")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--bind", default="127.0.0.1")
    args = parser.parse_args()
    if not os.path.isfile(os.path.join(args.root, "index.html")):
        sys.exit(f"serve: {args.root}/index.html does not exist; run `make site` first")
    handler = functools.partial(CourseHandler, directory=args.root)
    with Server((args.bind, args.port), handler) as httpd:
        host, port = httpd.server_address[:2]
        # Tests read this line to learn the port when they asked for port 0.
        print(f"Serving the course at http://{host}:{port}/ (Ctrl+C to stop)", flush=True)
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
