"""A local Twilio stand-in: a real HTTP server (not a mock) speaking the slice of Twilio's
REST API that Alur uses, for tests and demos.

    with TwilioStandIn() as twilio:          # 127.0.0.1, a random port
        settings.TWILIO_API_BASE_URL = twilio.url
        ...
        twilio.wait_for_messages(1)
        assert twilio.messages[0]["To"] == "whatsapp:+6281234567890"

- `POST /2010-04-01/Accounts/{sid}/Messages.json`: Basic auth (account sid / auth token)
  or 401; 400 with code 21211 for an invalid `To`; 429 for the next N requests on demand
  (`fail_next(n)`), or every request for a while (`fail_for(seconds, status)`); else 201
  with Twilio-shaped JSON (sid "SM...", status "queued").
  Then, in a background thread, signed status callbacks (`X-Twilio-Signature`) to the
  message's `StatusCallback`: queued -> sent -> delivered -> read, or queued -> failed
  with ErrorCode 63016 for free-form text to a number outside the 24-hour window
  (`enforce_window=True` and the number not in `window_open`). `callback_mode`
  "duplicate" posts every callback twice, "reverse" posts them newest first (both:
  "reverse+duplicate"), "none" posts nothing. `hold_seconds` records the message and
  then holds the response (a worker can be killed "mid-send").
- `GET .../Messages.json?To=&From=`: the accepted messages, newest first, Twilio's page shape.

Run by hand for a demo: `python -m tests.twilio_standin --port 8765` and start Alur with
TWILIO_API_BASE_URL=http://127.0.0.1:8765 and the printed credentials.
"""

import base64
import itertools
import json
import re
import secrets
import threading
import time
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import requests
from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "0" * 30 + "a1b2"
AUTH_TOKEN = "standin-auth-token-0123456789abcdef"
SENDER = "whatsapp:+14155238886"
_E164 = re.compile(r"^whatsapp:\+[1-9]\d{7,14}$")
_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<sid>[^/]+)/Messages\.json$")


class TwilioStandIn:
    def __init__(self, *, account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN, port=0):
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.port = port
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._sids = (f"SM{secrets.token_hex(16)}" for _ in itertools.count())
        self._threads: list[threading.Thread] = []
        self.server = None
        self._fresh()

    def _fresh(self) -> None:
        """A new stand-in's behaviour and records."""
        self.invalid_numbers: set[str] = set()  # E.164 numbers answered with 21211
        self.window_open: set[str] = set()  # E.164 numbers inside the 24-hour window
        self.enforce_window = False
        # normal | none | duplicate | reverse | "reverse+duplicate"
        self.callback_mode = "normal"
        self.callback_delay = 0.02
        self.read_receipts = True  # False: the callbacks stop at "delivered"
        self.hold_seconds = 0.0
        self.verify: bool | str = True  # callbacks' TLS check: a CA file for a test cert
        self.messages: list[dict] = []  # every accepted message, oldest first
        self.requests_seen: list[dict] = []  # every POST, accepted or not
        self.callbacks: list[dict] = []  # every callback posted, with the answer's status
        self._fail_next: list[int] = []
        self._fail_until: tuple[float, int] = (0.0, 0)  # (monotonic deadline, status)

    # --- control ---------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def fail_next(self, n: int, status: int = 429) -> None:
        """The next `n` message requests are answered with `status` (429 by default)."""
        with self._lock:
            self._fail_next.extend([status] * n)

    def fail_for(self, seconds: float, status: int = 503) -> None:
        """Every message request in the next `seconds` is answered with `status`: an
        outage (5xx) or a sustained rate limit (429) rather than a single refusal."""
        with self._lock:
            self._fail_until = (time.monotonic() + seconds, status)

    def messages_to(self, phone: str) -> list[dict]:
        with self._lock:
            return [m for m in self.messages if m["To"] == f"whatsapp:{phone}"]

    def wait_for_messages(self, count: int, timeout: float = 30.0, *, to: str | None = None):
        """Block until at least `count` messages (to `to`, if given) were accepted."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [m for m in self.messages if to is None or m["To"] == f"whatsapp:{to}"]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"{len(found)} of {count} messages after {timeout}s")
                self._changed.wait(remaining)

    def wait_for_requests(self, count: int, timeout: float = 30.0):
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.requests_seen) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"{len(self.requests_seen)} of {count} requests")
                self._changed.wait(remaining)
            return list(self.requests_seen)

    def wait_callbacks_done(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        for thread in list(self._threads):
            thread.join(max(0.0, deadline - time.monotonic()))

    def reset(self) -> None:
        """Back to a new stand-in's behaviour and records on the same port (a Celery worker
        shared by a module's tests keeps its URL), once the callbacks still being posted
        are done: none of them lands in the next test."""
        self.wait_callbacks_done()
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()]
            assert not self._threads, "callbacks still being posted after 30 s"
            self._fresh()

    def sign(self, url: str, params: dict) -> str:
        return RequestValidator(self.auth_token).compute_signature(url, params)

    def post_signed(self, url: str, params: dict, **kwargs) -> requests.Response:
        """POST form `params` to `url` signed as Twilio would (e.g. an inbound message)."""
        headers = {"X-Twilio-Signature": self.sign(url, params)}
        kwargs.setdefault("verify", self.verify)
        return requests.post(url, data=params, headers=headers, timeout=10, **kwargs)

    # --- lifecycle -------------------------------------------------------------------

    def start(self) -> "TwilioStandIn":
        standin = self

        class Handler(_Handler):
            pass

        Handler.standin = standin
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        self.wait_callbacks_done(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- behaviour -------------------------------------------------------------------

    def _create(self, form: dict) -> tuple[int, dict]:
        to = form.get("To", "")
        with self._changed:
            self.requests_seen.append(dict(form))
            self._changed.notify_all()
            failing = self._fail_until[1] if time.monotonic() < self._fail_until[0] else 0
            if self._fail_next or failing:
                status = self._fail_next.pop(0) if self._fail_next else failing
                code = 20429 if status == 429 else 20500
                text = "Too Many Requests" if status == 429 else "Service Unavailable"
                return status, _error(status, code, text)
            if not _E164.match(to) or to.removeprefix("whatsapp:") in self.invalid_numbers:
                return 400, _error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
            now = format_datetime(_utcnow(), usegmt=True)
            body = form.get("Body")
            if body is None and form.get("ContentSid"):
                body = f"[{form['ContentSid']}] {form.get('ContentVariables', '')}"
            message = {
                "account_sid": self.account_sid,
                "api_version": "2010-04-01",
                "body": body or "",
                "date_created": now,
                "date_sent": now,
                "date_updated": now,
                "direction": "outbound-api",
                "error_code": None,
                "error_message": None,
                "from": form.get("From", ""),
                "messaging_service_sid": None,
                "num_media": "0",
                "num_segments": "1",
                "price": None,
                "price_unit": "USD",
                "sid": next(self._sids),
                "status": "queued",
                "subresource_uris": {},
                "to": to,
                "uri": "",
            }
            message["uri"] = (
                f"/2010-04-01/Accounts/{self.account_sid}/Messages/{message['sid']}.json"
            )
            free_form = not form.get("ContentSid")
            outside = self.enforce_window and to.removeprefix("whatsapp:") not in self.window_open
            record = dict(form, sid=message["sid"], received_at=time.time(), json=message)
            self.messages.append(record)
            self._changed.notify_all()
        callback = form.get("StatusCallback")
        if callback and self.callback_mode != "none":
            if free_form and outside:
                sequence = [("queued", None), ("failed", "63016")]
            else:
                sequence = [("queued", None), ("sent", None), ("delivered", None)]
                if self.read_receipts:
                    sequence.append(("read", None))
            thread = threading.Thread(
                target=self._post_callbacks,
                args=(callback, message, sequence, self.hold_seconds),
                daemon=True,
            )
            self._threads.append(thread)
            thread.start()
        return 201, message

    def _post_callbacks(self, url: str, message: dict, sequence, wait: float) -> None:
        time.sleep(wait + self.callback_delay)
        if "reverse" in self.callback_mode:
            sequence = list(reversed(sequence))
        for status, error in sequence:
            params = {
                "AccountSid": self.account_sid,
                "ApiVersion": "2010-04-01",
                "From": message["from"],
                "To": message["to"],
                "MessageSid": message["sid"],
                "SmsSid": message["sid"],
                "MessageStatus": status,
                "SmsStatus": status,
                "ChannelPrefix": "whatsapp",
            }
            if error:
                params["ErrorCode"] = error
                params["ErrorMessage"] = (
                    "Message failed to send because more than 24 hours have passed since "
                    "the customer last replied to this number."
                )
            for _ in range(2 if "duplicate" in self.callback_mode else 1):
                try:
                    answer = self.post_signed(url, params).status_code
                except requests.RequestException as exc:
                    answer = repr(exc)
                with self._lock:
                    self.callbacks.append({"url": url, "params": params, "answer": answer})
                time.sleep(self.callback_delay)

    def _list(self, query: dict) -> dict:
        to = query.get("To", [None])[0]
        sender = query.get("From", [None])[0]
        with self._lock:
            found = [
                m["json"]
                for m in reversed(self.messages)
                if (to is None or m["To"] == to) and (sender is None or m.get("From") == sender)
            ]
        return {
            "messages": found,
            "end": max(len(found) - 1, 0),
            "first_page_uri": "",
            "next_page_uri": None,
            "page": 0,
            "page_size": 50,
            "previous_page_uri": None,
            "start": 0,
            "uri": "",
        }


class _Handler(BaseHTTPRequestHandler):
    standin: TwilioStandIn
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # keep-alive: no 40 ms delayed-ACK stalls

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass

    def _authorized(self) -> bool:
        expected = f"{self.standin.account_sid}:{self.standin.auth_token}".encode()
        header = self.headers.get("Authorization", "")
        return header == "Basic " + base64.b64encode(expected).decode()

    def _answer(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass  # the client went away (e.g. a killed worker): Twilio would not care

    def _route(self):
        parsed = urlparse(self.path)
        match = _PATH.match(parsed.path)
        if not match:
            self._answer(404, _error(404, 20404, "The requested resource was not found"))
            return None, None
        if not self._authorized() or match["sid"] != self.standin.account_sid:
            self._answer(401, _error(401, 20003, "Authenticate"))
            return None, None
        return match, parsed

    def do_POST(self):  # noqa: N802 - http.server's name
        length = int(self.headers.get("Content-Length", 0))
        raw = self.rfile.read(length).decode()
        match, _parsed = self._route()
        if not match:
            return
        form = {key: values[0] for key, values in parse_qs(raw, keep_blank_values=True).items()}
        status, payload = self.standin._create(form)
        if status == 201 and self.standin.hold_seconds:
            time.sleep(self.standin.hold_seconds)
        self._answer(status, payload)

    def do_GET(self):  # noqa: N802
        match, parsed = self._route()
        if not match:
            return
        self._answer(200, self.standin._list(parse_qs(parsed.query)))


def _error(status: int, code: int, message: str) -> dict:
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


def _utcnow():
    import datetime

    return datetime.datetime.now(datetime.UTC)


def main() -> None:  # pragma: no cover - a demo helper
    import argparse

    parser = argparse.ArgumentParser(description="Local Twilio stand-in")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    standin = TwilioStandIn(port=args.port).start()
    print(f"TWILIO_API_BASE_URL={standin.url}")
    print(f"TWILIO_ACCOUNT_SID={standin.account_sid}")
    print(f"TWILIO_AUTH_TOKEN={standin.auth_token}")
    print(f"TWILIO_WHATSAPP_FROM={SENDER}")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        standin.stop()


if __name__ == "__main__":
    main()
