#!/usr/bin/env python3
"""Serves the built course on localhost.

Why not plain `python3 -m http.server`: the in-page compiler is tens of megabytes, and the site
ships gzip-compressed copies of its big assets (`name.gz` beside `name`). This server sends the
compressed copy to a browser that accepts gzip, so the learner downloads a fraction of the bytes,
and lets the browser cache the toolchain between visits.
"""
import argparse
import functools
import http.server
import os
import socketserver


class CourseHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".tar": "application/x-tar",
        ".jsonl": "application/x-ndjson",
    }

    def send_head(self):
        path = self.translate_path(self.path)
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if wants_gzip and os.path.isfile(path) and os.path.isfile(path + ".gz"):
            return self._send_gzip(path)
        return super().send_head()

    def _send_gzip(self, path):
        compressed = path + ".gz"
        stat = os.stat(compressed)
        if self.headers.get("If-None-Match") == self._etag(stat):
            self.send_response(304)
            self.end_headers()
            return None
        f = open(compressed, "rb")
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(stat.st_size))
        self.send_header("ETag", self._etag(stat))
        self.end_headers()
        return f

    @staticmethod
    def _etag(stat):
        return f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'

    def end_headers(self):
        # The toolchain changes only when the site is rebuilt: let the browser keep it; pages
        # and kata data are revalidated on every load.
        if "/_static/acm/toolchain/" in self.path:
            self.send_header("Cache-Control", "public, max-age=86400")
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
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--bind", default="127.0.0.1")
    args = parser.parse_args()
    handler = functools.partial(CourseHandler, directory=args.root)
    with Server((args.bind, args.port), handler) as httpd:
        print(f"Serving the course at http://{args.bind}:{args.port}/ (Ctrl+C to stop)", flush=True)
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
