"""A local stand-in of BKN's SIASN web services, speaking the documented shapes
(DOMAIN.md 7.1/7.2): the WSO2 gateway token (client credentials, HTTP Basic), the SSO
password-grant token, and `GET /apisiasn/1.0/pns/data-utama/{nip}` that requires
`Authorization: Bearer <gateway>` and `Auth: bearer <sso>` and answers `{"code", "data"}`."""

import base64
import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class SiasnStandin:
    def __init__(self, *, key="ck", secret="cs", username="operator", password="rahasia"):
        self.key, self.secret, self.username, self.password = key, secret, username, password
        self.records: dict[str, dict] = {}
        self.gateway_tokens: set[str] = set()
        self.sso_tokens: set[str] = set()
        self.calls: list[tuple[str, str, dict]] = []
        self.expires_in = 3600
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                standin.calls.append(("POST", self.path, dict(self.headers)))
                if self.path == "/oauth2/token":
                    basic = base64.b64encode(f"{standin.key}:{standin.secret}".encode()).decode()
                    ok = self.headers.get("Authorization") == f"Basic {basic}"
                    if not ok or form.get("grant_type") != "client_credentials":
                        return self._send(401, {"error": "invalid_client"})
                    token = secrets.token_hex(8)
                    standin.gateway_tokens.add(token)
                    return self._send(
                        200,
                        {
                            "access_token": token,
                            "token_type": "Bearer",
                            "expires_in": standin.expires_in,
                        },
                    )
                if self.path == "/sso/token":
                    ok = (form.get("grant_type"), form.get("username"), form.get("password")) == (
                        "password",
                        standin.username,
                        standin.password,
                    )
                    if not ok:
                        return self._send(401, {"error": "invalid_grant"})
                    token = secrets.token_hex(8)
                    standin.sso_tokens.add(token)
                    return self._send(
                        200, {"access_token": token, "expires_in": standin.expires_in}
                    )
                self._send(404, {"message": "not found"})

            def do_GET(self):
                standin.calls.append(("GET", self.path, dict(self.headers)))
                prefix = "/apisiasn/1.0/pns/data-utama/"
                if not self.path.startswith(prefix):
                    return self._send(404, {"message": "not found"})
                gateway = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
                sso = (self.headers.get("Auth") or "").removeprefix("bearer ")
                if gateway not in standin.gateway_tokens or sso not in standin.sso_tokens:
                    return self._send(401, {"code": 0, "message": "Invalid Credentials"})
                record = standin.records.get(self.path[len(prefix) :])
                if record is None:
                    return self._send(200, {"code": 0, "data": "Data tidak ditemukan"})
                self._send(200, {"code": 1, "data": record})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def revoke_tokens(self):
        self.gateway_tokens.clear()
        self.sso_tokens.clear()
