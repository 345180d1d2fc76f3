"""A receiver for OpenPRM's webhooks that checks every delivery's signature.

Standard library only:

    OPENPRM_WEBHOOK_SECRET=whsec_... python3 examples/webhook_receiver.py --port 8080

Each delivery is a POST with a JSON body and these headers (docs/api.md has the details):

    OpenPRM-Event: deal.created
    OpenPRM-Delivery: 4711                   the same on every retry and redelivery
    OpenPRM-Signature: t=1767225600,v1=5257a869…

`v1` is the hex HMAC-SHA256 of "<t>.<body>" keyed with the webhook's secret. A delivery is
accepted when one v1 matches and t is at most five minutes from this machine's clock (the replay
window: a recorded delivery cannot be played back later). Answer with a 2xx quickly and do
the work afterwards: OpenPRM waits 10 seconds at most, and retries anything else. A delivery
can arrive more than once (a retry after a lost answer), so skip the ids already handled.
"""

import argparse
import hashlib
import hmac
import json
import os
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REPLAY_WINDOW_SECONDS = 300
MAX_BODY_BYTES = 1_000_000


def verify(
    secret: str,
    signature_header: str,
    body: bytes,
    *,
    tolerance: int = REPLAY_WINDOW_SECONDS,
    now: float | None = None,
) -> bool:
    """Whether the OpenPRM-Signature header signs this exact body, recently enough."""
    pairs = [part.strip().partition("=") for part in signature_header.split(",")]
    timestamps = [value for key, _sep, value in pairs if key == "t"]
    signatures = [value for key, _sep, value in pairs if key == "v1"]
    if len(timestamps) != 1 or not timestamps[0].isdigit() or not signatures:
        return False
    timestamp = int(timestamps[0])
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    signed = f"{timestamp}.".encode() + body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, signature) for signature in signatures)


class Receiver(BaseHTTPRequestHandler):
    secret = ""
    handled: set[str] = set()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self.send_response(413)
            self.end_headers()
            return
        body = self.rfile.read(length)
        if not verify(self.secret, self.headers.get("OpenPRM-Signature", ""), body):
            self.send_response(401)
            self.end_headers()
            return
        delivery = self.headers.get("OpenPRM-Delivery", "")
        if delivery not in self.handled:
            self.handled.add(delivery)
            event = json.loads(body)
            print(f"{event['type']} {event['object']['type']} {event['object']['id']}", flush=True)
        self.send_response(204)
        self.end_headers()


def main() -> None:
    parser = argparse.ArgumentParser(description="Receive and verify OpenPRM webhooks.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args()
    Receiver.secret = os.environ["OPENPRM_WEBHOOK_SECRET"]
    server = ThreadingHTTPServer((args.host, args.port), Receiver)
    print(f"Listening on http://{args.host}:{args.port}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
