"""Submitted, approved through every step by staff over the API, tracked, told on WhatsApp:
the whole request on the production stack, over real sockets."""

import time

from tests.production.journey import SERVICE, a_phone, approve_all_steps, submit


def test_a_request_from_submission_to_result_with_one_message_per_transition(production):
    mark = production.access_log_mark()
    phone, e164 = a_phone()
    created = submit(production, phone=phone)
    assert created.status_code == 201, created.text
    receipt = created.json()
    number = receipt["registration_number"]
    assert receipt["tracking_url"] == production.url(f"/cek-status/{number}/")

    approve_all_steps(production, number)

    session = production.session()
    track = session.get(production.url(f"/api/v1/track/{number}/"), timeout=30).json()
    assert track["status"] == "completed"
    assert track["service"]["code"] == SERVICE
    assert all(step["state"] == "done" for step in track["steps"])
    kinds = [entry["status"] for entry in track["history"]]
    assert kinds[0] == "submitted" and kinds[-1] == "completed"
    page = session.get(production.url(f"/cek-status/{number}/"), timeout=30)
    assert page.status_code == 200 and number in page.text and "Siti" not in page.text
    result = session.get(
        production.url(f"/api/v1/requests/{number}/result/"),
        headers={"X-Access-Token": receipt["access_token"]},
        timeout=30,
    )
    assert result.status_code == 200 and result.content.startswith(b"%PDF")

    # One WhatsApp message per transition (history entry), each once, through the worker.
    transitions = len(track["history"])
    assert transitions == 2 + len(track["steps"])  # submitted, started, one per step
    messages = production.standin.wait_for_messages(transitions, timeout=90, to=e164)
    time.sleep(3)  # a duplicate would arrive within the sweeper's pace (2 s)
    messages = production.standin.messages_to(e164)
    assert len(messages) == transitions, [m["Body"] for m in messages]
    assert len({m["Body"] for m in messages}) == transitions
    assert all(number in m["Body"] for m in messages)
    # Twilio's signed delivery callbacks pass the signature check through nginx.
    production.standin.wait_callbacks_done(timeout=30)
    sids = {m["sid"] for m in messages}
    answers = [
        c["answer"] for c in production.standin.callbacks if c["params"]["MessageSid"] in sids
    ]
    assert answers and set(answers) == {204}, answers  # accepted, not 403
    assert production.server_errors_since(mark) == []
