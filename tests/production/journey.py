"""A citizen's request through the deployed system, over HTTPS, as clients would do it."""

import secrets
import time

SERVICE = "informasi-publik"  # the demo service that needs no document: plain JSON
DATA = {
    "rincian_informasi": "Daftar madrasah negeri di Provinsi Jambi tahun 2026.",
    "tujuan_penggunaan": "Penelitian skripsi.",
    "cara_memperoleh": "Salinan elektronik",
    "cara_mengirim": "WhatsApp",
}


def a_phone() -> tuple[str, str]:
    """A fresh Indonesian mobile number: (as typed, E.164)."""
    digits = f"{secrets.randbelow(10**8):08d}"
    return f"0812{digits}", f"+62812{digits}"


def submit(stack, session=None, *, key: str | None = None, phone: str | None = None):
    session = session or stack.session()
    headers = {"Idempotency-Key": key} if key else {}
    return session.post(
        stack.url("/api/v1/requests/"),
        json={
            "service": SERVICE,
            "applicant": {"name": "Siti Pemohon", "phone": phone or a_phone()[0]},
            "data": DATA,
        },
        headers=headers,
        timeout=30,
    )


def token_session(stack, username: str):
    session = stack.session()
    response = session.post(
        stack.url("/api/v1/auth/token/"),
        data={"username": username, "password": stack.accounts[username]["password"]},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    session.headers["Authorization"] = f"Token {response.json()['token']}"
    return session


def workers_of(stack, service: str) -> list[str]:
    return [name for name, a in stack.accounts.items() if service in a["services"]]


def open_task(stack, sessions: dict, number: str, timeout: float = 30):
    """(username, task) for the open task of `number`, from the queues of the accounts that
    list the service."""
    deadline = time.monotonic() + timeout
    while True:
        for name, session in sessions.items():
            response = session.get(
                stack.url("/api/v1/tasks/"), params={"scope": "queue", "service": SERVICE}
            )
            assert response.status_code == 200, response.text
            for task in response.json()["results"]:
                if task["registration_number"] == number:
                    return name, task
        assert time.monotonic() < deadline, f"no open task for {number}"
        time.sleep(0.5)


def approve_all_steps(stack, number: str) -> None:
    from tests.factories import PDF_BYTES  # needs Django; bench.faults imports this module

    sessions = {name: token_session(stack, name) for name in workers_of(stack, SERVICE)}
    steps = stack.session().get(stack.url(f"/api/v1/services/{SERVICE}/"), timeout=30).json()
    for step in steps["steps"]:
        name, task = open_task(stack, sessions, number)
        assert task["step"]["order"] == step["order"]
        session = sessions[name]
        claim = session.post(stack.url(f"/api/v1/tasks/{task['id']}/claim/"), timeout=30)
        assert claim.status_code == 200, claim.text
        url = stack.url(f"/api/v1/tasks/{task['id']}/complete/")
        if step["produces_result"]:
            response = session.post(
                url,
                data={"decision": "approve", "note": "Informasi terlampir."},
                files={"result": ("jawaban-ppid.pdf", PDF_BYTES, "application/pdf")},
                timeout=30,
            )
        else:
            response = session.post(url, json={"decision": "approve"}, timeout=30)
        assert response.status_code == 200, response.text


def login(production, path, username, password, next_url=""):
    session = production.session()
    form = session.get(production.url(path), timeout=30)
    assert form.status_code == 200
    token = session.cookies["csrftoken"]
    response = session.post(
        production.url(path),
        data={
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": password,
            "next": next_url,
        },
        headers={"Referer": production.url(path)},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[:3000]
    return session
