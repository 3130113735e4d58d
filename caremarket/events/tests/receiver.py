"""A council system's webhook receiver, run as its own process by the tests: it checks each
webhook's signature with the standardwebhooks verifier, drops a duplicate by its id, and writes
what it took to a file, one JSON line each.

    python receiver.py PORT SECRET LOG [--fail-first N] [--slow-first N] [--pause SECONDS]
"""

import argparse
import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook, WebhookVerificationError


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("secret")
    parser.add_argument("log")
    parser.add_argument("--fail-first", type=int, default=0, help="answer 500 to the first N requests")
    parser.add_argument("--slow-first", type=int, default=0, help="take 8 seconds over the first N requests")
    parser.add_argument("--pause", type=float, default=0, help="take this many seconds over every request")
    options = parser.parse_args()
    verifier, seen, requests = Webhook(options.secret), set(), [0]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            requests[0] += 1
            if requests[0] <= options.slow_first:
                time.sleep(8)
            time.sleep(options.pause)
            if requests[0] <= options.fail_first + options.slow_first:
                return self._answer(500)
            try:
                message = verifier.verify(body, dict(self.headers))
            except WebhookVerificationError:
                return self._answer(401)
            if message["id"] not in seen:  # a duplicate is dropped by its id
                seen.add(message["id"])
                with open(options.log, "a") as log:
                    log.write(json.dumps(message) + "\n")
            self._answer(204)

        def _answer(self, status):
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    ThreadingHTTPServer(("127.0.0.1", options.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
