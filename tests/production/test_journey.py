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


def test_the_skp_pages_and_their_downloads_under_production_settings(production):
    """An SKP owner's realisation sheet, the penilai's evaluations and to-rate pages,
    the unit's predikat report (and its Excel) and the evaluation PDF: built static files
    (hashed, long-cached), no inline script under the CSP, no server error."""
    import io
    import re

    from django.utils import timezone
    from pypdf import PdfReader

    from tests.production.journey import login
    from tests.production.test_build_and_serve import HASHED, Links, fetch_asset, same_site

    mark = production.access_log_mark()
    password = production.accounts["skp_owner"]["password"]
    owner = login(production, "/staf/masuk/", "skp_approver", password)  # Kasi Pendma
    head = login(production, "/staf/masuk/", "head", password)  # his pejabat penilai
    mine = owner.get(production.url("/staf/skp/"), timeout=30)
    skp_id = re.search(r'href="/staf/skp/(\d+)/"', mine.text)[1]
    today = timezone.localdate()  # the site's date (Asia/Jakarta), not UTC's
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    pages = [
        (owner, f"/staf/skp/{skp_id}/realisasi/", "Yusnidar"),
        (owner, f"/staf/skp/{skp_id}/", 'id="panel-riwayat"'),
        (head, f"/staf/skp/{skp_id}/evaluasi/", f'id="period-{quarter}"'),
        (head, "/staf/skp/evaluasi/nilai/", 'aria-current="page"'),
        (head, f"/staf/skp/predikat/?unit=KJB.phu&period={quarter}", 'id="report-title"'),
    ]
    assets, failures = {}, []
    for session, path, expected in pages:
        page = session.get(production.url(path), timeout=60)
        assert page.status_code == 200, (path, page.status_code, page.text[:500])
        assert expected in page.text, path
        assert (
            "<script>" not in page.text
            and "script-src 'self'" in page.headers["Content-Security-Policy"]
        )
        links = Links()
        links.feed(page.text)
        assert any("/static/skp/skp." in a for a in links.assets), path
        for link in links.assets:
            target = same_site(page.url, link)
            if target:
                fetch_asset(session, target, assets, failures)
    assert not failures, failures
    for url, response in assets.items():
        assert HASHED.search(url.split("?")[0]), f"not a hashed name: {url}"
        assert "max-age=315360000" in response.headers.get("Cache-Control", ""), url
    assert any("/static/skp/tabs." in url for url in assets)
    xlsx = head.get(
        production.url("/api/v1/predikat-report/xlsx/"),
        params={"unit": "KJB.phu", "period": quarter},
        timeout=60,
    )
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK"), xlsx.text[:300]
    pdf = owner.get(
        production.url(f"/staf/skp/{skp_id}/evaluasi/{quarter}/cetak/"),
        params={"tanggal": today.isoformat()},
        timeout=60,
    )
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert "Yusnidar" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    # Nobody else reads the sheet.
    other = login(production, "/staf/masuk/", "staf_kjb_phu", password)
    assert (
        other.get(production.url(f"/staf/skp/{skp_id}/realisasi/"), timeout=30).status_code == 404
    )
    assert production.server_errors_since(mark) == []
