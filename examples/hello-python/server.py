"""A small HTTP service for CodeRunner's examples. Python standard library only."""
import json
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

WATCHED = ["GREETING", "DATABASE_URL", "API_TOKEN"]


class Handler(BaseHTTPRequestHandler):
    def _send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/healthz":
            return self._send(200, {"status": "ok"})
        if self.path == "/env":
            return self._send(200, {"set": {name: name in os.environ for name in WATCHED}})
        if self.path == "/":
            return self._send(200, {"message": os.environ.get("GREETING", "Hello from Python on CodeRunner")})
        return self._send(404, {"error": f"No route for {self.path}"})

    def log_message(self, fmt, *args):
        print(f"{self.command} {self.path} {args[1] if len(args) > 1 else ''}", flush=True)


def main():
    port = int(os.environ.get("PORT", "8000"))
    server = ThreadingHTTPServer(("0.0.0.0", port), Handler)
    signal.signal(signal.SIGTERM, lambda *_: (print("SIGTERM received, closing", flush=True), sys.exit(0)))
    print(f"hello-python listening on port {port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
