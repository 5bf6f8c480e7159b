"""The example service: answers its version, and a health endpoint.

Environment: PORT (required), VERSION (shown in every answer), PIDFILE
(optional: the process writes its pid there, so scripts can stop it).

The file `behaviour` next to this script changes how it behaves, read on
every request so it can be flipped on a running instance:
  healthy    normal (also when the file is missing)
  unhealthy  GET /health answers 500: the deployment's health check fails
  flaky      GET / answers 500 for 3 requests in every 10: a bad canary
"""
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

APP_DIR = os.path.dirname(os.path.abspath(__file__))
VERSION = os.environ.get("VERSION", "dev")
_counter = 0
_counter_lock = threading.Lock()


def behaviour():
    try:
        with open(os.path.join(APP_DIR, "behaviour"), encoding="utf-8") as f:
            return f.read().strip()
    except FileNotFoundError:
        return "healthy"


def next_request_fails():
    """Deterministic 30% failures: requests 0, 1 and 2 of every 10."""
    global _counter
    with _counter_lock:
        n = _counter
        _counter += 1
    return n % 10 < 3


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, with Content-Length on every answer
    disable_nagle_algorithm = True  # headers and body go out in separate writes

    def answer(self, status, text):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Webapp-Version", VERSION)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        mode = behaviour()
        path = self.path.split("?", 1)[0]
        if path == "/health":
            if mode == "unhealthy":
                self.answer(500, "unhealthy\n")
            else:
                self.answer(200, "ok\n")
        elif path == "/":
            if mode == "flaky" and next_request_fails():
                self.answer(500, "webapp %s failed\n" % VERSION)
            else:
                self.answer(200, "webapp %s\n" % VERSION)
        else:
            self.answer(404, "not found\n")

    def log_message(self, format, *args):
        pass  # one line per request would flood the log at hundreds per second


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the default 5 drops connections under load


def main():
    server = Server(("127.0.0.1", int(os.environ["PORT"])), Handler)
    pidfile = os.environ.get("PIDFILE")
    if pidfile:
        with open(pidfile, "w", encoding="utf-8") as f:
            f.write("%d\n" % os.getpid())
    print("webapp %s listening on 127.0.0.1:%s" % (VERSION, os.environ["PORT"]), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
