"""A stand-in for a council's client record system (Mosaic, Liquidlogic, Eclipse…), so that the
whole loop runs on one machine: it holds a few people and their assessments, sends them to
Caremarket through the real API (with an Idempotency-Key, as a real one should), and takes
Caremarket's events as signed webhooks, showing what it has heard on its page.

    python -m standin.client_record_system --port 8900 --caremarket http://127.0.0.1:8000 \\
        --token cmt_… --secret whsec_…

It is not part of Caremarket: it talks to it only as another system would, over HTTP.
"""

from __future__ import annotations

import argparse
import html
import json
import threading
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook, WebhookVerificationError

PEOPLE = [
    {"person_id": "MOS-100201", "given_name": "Doris", "family_name": "Pemberton", "date_of_birth": "1938-03-14",
     "nhs_number": "9434765919", "address": "14 Kingstanding Road", "postcode": "B44 9ST", "ward": "E05011150"},
    {"person_id": "MOS-100202", "given_name": "Harold", "family_name": "Oyelaran", "date_of_birth": "1945-09-02",
     "address": "3 Soho Road", "postcode": "B21 9SN", "ward": "E05011142"},
]
ASSESSMENTS = [
    {"assessment_id": "MOS-A-5501", "person_id": "MOS-100201", "assessed_on": "2026-11-30",
     "service_type": "home-support", "need_groups": "older-people", "eligible_needs": "Help to wash, dress and eat",
     "outcomes": "To stay living at home safely", "weekly_hours": "10.5", "status": "awaiting_service"},
    {"assessment_id": "MOS-A-5502", "person_id": "MOS-100202", "assessed_on": "2026-12-01",
     "service_type": "residential-care", "need_groups": "dementia", "eligible_needs": "24-hour care and supervision",
     "outcomes": "To be safe and settled", "status": "awaiting_service"},
]


class StandIn:
    def __init__(self, caremarket: str, token: str, secret: str):
        self.caremarket, self.token, self.verifier = caremarket.rstrip("/"), token, Webhook(secret)
        self.events, self.sent, self.lock = [], [], threading.Lock()

    def send(self) -> list[str]:
        """People first, then their assessments, each batch with its own Idempotency-Key."""
        said = []
        for kind, rows in (("people", PEOPLE), ("assessments", ASSESSMENTS)):
            request = urllib.request.Request(
                f"{self.caremarket}/api/client-records/{kind}", data=json.dumps({kind: rows}).encode(), method="POST",
                headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json",
                         "Idempotency-Key": str(uuid.uuid4())})
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:
                    said.append(f"{kind}: {json.loads(answer.read())}")
            except urllib.error.HTTPError as refused:
                said.append(f"{kind}: refused ({refused.code}) {refused.read().decode()[:500]}")
            except OSError as error:
                said.append(f"{kind}: could not reach Caremarket ({error})")
        with self.lock:
            self.sent += said
        return said

    def take(self, body: bytes, headers: dict) -> int:
        try:
            event = self.verifier.verify(body, headers)
        except WebhookVerificationError:
            return 401
        with self.lock:
            if event["id"] not in {e["id"] for e in self.events}:  # a duplicate is dropped by its id
                self.events.append(event)
        return 204

    def page(self) -> str:
        rows = "".join(f"<tr><td>{html.escape(e['type'])}</td><td>{html.escape(e['subject'])}</td>"
                       f"<td>{html.escape(e['timestamp'])}</td></tr>" for e in self.events)
        people = "".join(f"<li>{html.escape(p['person_id'])}: {html.escape(p['given_name'])} "
                         f"{html.escape(p['family_name'])}</li>" for p in PEOPLE)
        sent = "".join(f"<li>{html.escape(line)}</li>" for line in self.sent)
        return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Client record system (stand-in)</title></head>
<body><main><h1>Client record system (stand-in)</h1>
<h2>People it holds</h2><ul>{people}</ul>
<form method="post" action="/send"><button type="submit">Send people and assessments to Caremarket</button></form>
<h2>What Caremarket answered</h2><ul id="sent">{sent}</ul>
<h2>Events received</h2><table id="events"><thead><tr><th>Type</th><th>Subject</th><th>When</th></tr></thead>
<tbody>{rows}</tbody></table></main></body></html>"""


def serve(port: int, stand_in: StandIn) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/events.json":
                return self._answer(200, json.dumps(stand_in.events).encode(), "application/json")
            self._answer(200, stand_in.page().encode(), "text/html; charset=utf-8")

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            if self.path == "/webhooks":
                return self._answer(stand_in.take(body, dict(self.headers)), b"", "text/plain")
            if self.path == "/send":
                stand_in.send()
                self.send_response(303)
                self.send_header("Location", "/")
                self.send_header("Content-Length", "0")
                return self.end_headers()
            self._answer(404, b"", "text/plain")

        def _answer(self, status, body, kind):
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return ThreadingHTTPServer(("127.0.0.1", port), Handler)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8900)
    parser.add_argument("--caremarket", default="http://127.0.0.1:8000")
    parser.add_argument("--token", required=True, help="An API token of a Caremarket account that may send records")
    parser.add_argument("--secret", required=True, help="The signing secret Caremarket gave this subscriber")
    options = parser.parse_args()
    server = serve(options.port, StandIn(options.caremarket, options.token, options.secret))
    print(f"Client record system (stand-in) on http://127.0.0.1:{options.port}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
