"""The production build serves every public page and every asset they link, behind nginx."""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import requests

from tests.production.journey import login

# Public pages to start from (CONTRACT.md sections 3 and 5); the crawl follows their links.
START = [
    "/",
    "/cek-status/",
    "/staf/masuk/",
    "/admin/login/",
    "/api/v1/docs/",
    "/api/v1/schema/",
    "/api/v1/services/",
]
# Not public or not a page: the crawl does not follow these prefixes.
PRIVATE = ("/staf/", "/admin/", "/i18n/", "/permohonan/", "/media/", "/webhooks/")
HASHED = re.compile(r"\.[0-9a-f]{12}\.\w+$")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")


class Links(HTMLParser):
    ATTRS = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src"}

    def __init__(self):
        super().__init__()
        self.pages: list[str] = []
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        value = dict(attrs).get(self.ATTRS.get(tag, ""))
        if not value:
            return
        (self.pages if tag == "a" else self.assets).append(value)


def same_site(base: str, link: str) -> str | None:
    url = urldefrag(urljoin(base, link)).url
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.netloc != urlsplit(base).netloc:
        return None
    return url


def crawl(stack, session):
    """Breadth-first over public pages; every linked asset fetched (and CSS's url())."""
    pages, assets, failures = {}, {}, []
    queue = deque(stack.url(p) for p in START)
    while queue:
        url = queue.popleft()
        if url in pages:
            continue
        response = session.get(url, timeout=30)
        pages[url] = response.status_code
        if response.status_code != 200:
            failures.append((url, response.status_code))
            continue
        if "text/html" not in response.headers.get("Content-Type", ""):
            continue
        links = Links()
        links.feed(response.text)
        for link in links.pages:
            target = same_site(url, link)
            if target and not urlsplit(target).path.startswith(PRIVATE) and "?" not in target:
                queue.append(target)
            elif target and urlsplit(target).path.startswith("/static/"):
                links.assets.append(link)
        for link in links.assets:
            target = same_site(url, link)
            if target:
                fetch_asset(session, target, assets, failures)
    return pages, assets, failures


def fetch_asset(session, url, assets, failures):
    if url in assets:
        return
    response = session.get(url, timeout=30)
    assets[url] = response
    if response.status_code != 200:
        failures.append((url, response.status_code))
        return
    if url.endswith(".css"):
        for ref in CSS_URL.findall(response.text):
            if not ref.startswith("data:"):
                target = same_site(url, ref)
                if target:
                    fetch_asset(session, target, assets, failures)


def test_the_build_ran_and_readiness_waited_for_the_release(production):
    # Before `release` (migrate) the probe named the migrations, and only them.
    assert production.ready_before_release["down"] == ["migrations"]
    assert production.ready_before_release["checks"]["database"] == "ok"
    manifest = production.app / "staticfiles" / "staticfiles.json"
    assert manifest.exists()
    response = production.get("/readyz/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "redis": "ok"},
    }
    assert production.get("/healthz/").json() == {"status": "ok"}


def test_every_public_page_and_every_linked_asset_answers_200(production):
    mark = production.access_log_mark()
    session = production.session()
    pages, assets, failures = crawl(production, session)
    assert not failures, failures
    paths = {urlsplit(u).path for u in pages}
    codes = [a["services"] for a in production.accounts.values()]
    worked = {code for listed in codes for code in listed}
    public, url = set(), production.url("/api/v1/services/")
    while url:
        page = session.get(url, timeout=30).json()
        public |= {service["code"] for service in page["results"]}
        url = page["next"]
    assert public and public < worked  # staff also work internal (employee-only) services
    assert {f"/layanan/{code}/" for code in public} <= paths  # the catalogue links them
    assert not {f"/layanan/{code}/" for code in worked - public} & paths  # never internal ones
    assert len(assets) >= 5
    for url, response in assets.items():
        if not urlsplit(url).path.startswith("/static/"):
            continue  # e.g. the API docs' init script, served by its view (CSP: no inline)
        assert HASHED.search(urlsplit(url).path), f"not a hashed name: {url}"
        assert "max-age=315360000" in response.headers.get("Cache-Control", ""), url
    # Compressed by the build, served by WhiteNoise.
    css = next(u for u in assets if u.endswith(".css"))
    gz = session.get(css, headers={"Accept-Encoding": "gzip"}, timeout=30)
    assert gz.headers.get("Content-Encoding") == "gzip"
    # Alur's own pages for errors, in Bahasa Indonesia, no debug.
    missing = session.get(production.url("/tidak-ada/"), timeout=30)
    assert missing.status_code == 404
    assert "Halaman tidak ditemukan" in missing.text
    assert "Django Material" not in missing.text and "Traceback" not in missing.text
    api_missing = session.get(production.url("/api/v1/tidak-ada/"), timeout=30)
    assert api_missing.status_code == 404 and api_missing.json() == {
        "detail": "Data tidak ditemukan."
    }
    assert production.server_errors_since(mark) == []


def test_nginx_terminates_tls_forwards_the_scheme_and_guards_the_edges(production):
    session = production.session()
    # HTTP is only a redirect to HTTPS.
    plain = requests.get(
        f"http://127.0.0.1:{production.http_port}/cek-status/",
        headers={"Host": "localhost"},
        allow_redirects=False,
        timeout=30,
    )
    assert plain.status_code == 301
    assert plain.headers["Location"] == "https://localhost/cek-status/"
    # Through nginx Django sees https (X-Forwarded-Proto): no redirect, HSTS, secure cookies.
    page = session.get(production.url("/staf/masuk/"), allow_redirects=False, timeout=30)
    assert page.status_code == 200
    assert "max-age=31536000" in page.headers["Strict-Transport-Security"]
    assert "Secure" in page.headers["Set-Cookie"]
    # Straight to gunicorn, without the proxy's header, Django itself redirects.
    direct = requests.get(
        f"http://127.0.0.1:{production.web_port}/staf/masuk/",
        headers={"Host": "localhost"},
        allow_redirects=False,
        timeout=30,
    )
    assert direct.status_code == 301 and direct.headers["Location"].startswith("https://")
    # Uploaded documents are never served from disk, even when the file exists.
    secret = production.workdir / "media" / "documents" / "ktp.pdf"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_bytes(b"%PDF-1.4 private")
    for path in ("/media/documents/ktp.pdf", "/media/"):
        response = session.get(production.url(path), timeout=30)
        assert response.status_code == 404 and b"private" not in response.content
    # Bodies over client_max_body_size stop at nginx.
    too_big = session.post(
        production.url("/api/v1/requests/"),
        data=b"x" * (22 * 1024 * 1024),
        headers={"Content-Type": "application/json"},
        timeout=60,
    )
    assert too_big.status_code == 413


def test_admin_and_staff_logins_work(production):
    mark = production.access_log_mark()
    password = production.accounts["admin"]["password"]
    session = login(production, "/admin/login/", "admin", password, next_url="/admin/")
    home = session.get(production.url("/admin/"), timeout=30)
    assert home.status_code == 200 and "/admin/logout/" in home.text
    links = Links()
    links.feed(home.text)
    admin_pages = [
        urljoin(home.url, link)
        for link in links.pages
        if link.startswith("/admin/") and link.count("/") == 4 and "logout" not in link
    ]
    assert admin_pages, home.text[:2000]
    for url in admin_pages:  # every model list the admin shows
        assert session.get(url, timeout=30).status_code == 200, url
    staff = production.accounts["staf_kwj_ptsp"]
    session = login(production, "/staf/masuk/", staff["username"], staff["password"])
    queue = session.get(production.url("/staf/"), timeout=30)
    assert queue.status_code == 200 and staff["username"] in queue.text
    assert production.server_errors_since(mark) == []


def test_the_dashboard_its_chart_script_and_its_downloads(production):
    """The head of office's dashboard from the built static files (hashed, cached, no
    inline script under the CSP), with its PDF report and Excel workbook."""
    import io

    import openpyxl
    from pypdf import PdfReader

    mark = production.access_log_mark()
    head = production.accounts["head"]
    session = login(production, "/staf/masuk/", head["username"], head["password"])
    page = session.get(production.url("/staf/dasbor/"), timeout=60)
    assert page.status_code == 200, page.text[:500]
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    links = Links()
    links.feed(page.text)
    assert 'href="/staf/dasbor/"' in page.text  # the staff navigation offers it
    scripts = [a for a in links.assets if a.endswith(".js")]
    assert any("/static/vendor/chart.js/chart.umd.min." in s for s in scripts), scripts
    assert any("/static/js/dashboard." in s for s in scripts), scripts
    assert "<script>" not in page.text  # every script is a file the CSP allows
    assets, failures = {}, []
    for link in links.assets:
        target = same_site(page.url, link)
        if target:
            fetch_asset(session, target, assets, failures)
    assert not failures, failures
    for url, response in assets.items():
        assert HASHED.search(urlsplit(url).path), f"not a hashed name: {url}"
        assert "max-age=315360000" in response.headers.get("Cache-Control", ""), url
    pdf = session.get(production.url("/staf/dasbor/laporan.pdf"), timeout=60)
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert "Laporan kinerja layanan" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    xlsx = session.get(production.url("/staf/dasbor/laporan.xlsx"), timeout=60)
    assert xlsx.status_code == 200
    assert "summary" in openpyxl.load_workbook(io.BytesIO(xlsx.content)).sheetnames
    # a staff member who heads nothing is refused
    staff = production.accounts["staf_kwj_ptsp"]
    other = login(production, "/staf/masuk/", staff["username"], staff["password"])
    assert other.get(production.url("/staf/dasbor/"), timeout=30).status_code == 403
    assert production.server_errors_since(mark) == []
