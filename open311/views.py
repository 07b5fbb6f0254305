"""Open311 GeoReport v2 under /open311/v2/ (CONTRACT.md 7): services, service
definitions, requests (GET, and POST with an api_key), one request, tokens; `.json` or
`.xml`; errors as GeoReport `errors`. Parse, check, call one selector or service."""

import datetime

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from . import render, selectors, services
from .models import Open311Request
from .throttles import Open311PostThrottle, Open311ReadThrottle, wait_seconds

FORMATS = {"json", "xml"}


def _guard(view):
    """Format check, read limit, jurisdiction; unknown jurisdiction is a 404."""

    def wrapper(request, *args, fmt, **kwargs):
        if fmt not in FORMATS:
            return render.errors("json", 404, [_("Formats: json or xml.")])
        wait = wait_seconds(Open311ReadThrottle(), request)
        if wait is not None:
            return render.errors(
                fmt,
                429,
                [_("Too many requests; try again in %(s)d s.") % {"s": wait}],
                {"Retry-After": str(wait)},
            )
        params = request.POST if request.method == "POST" else request.GET
        office = None
        if params.get("jurisdiction_id"):
            office = selectors.jurisdiction(params["jurisdiction_id"])
            if office is None:
                return render.errors(fmt, 404, [_("jurisdiction_id: unknown jurisdiction.")])
        return view(request, *args, fmt=fmt, office=office, params=params, **kwargs)

    return wrapper


@_guard
def service_list(request, *, fmt, office, params):
    if request.method != "GET":
        return render.errors(fmt, 405, [_("Method not allowed.")])
    items = [selectors.service_item(s) for s in selectors.services(office)]
    return render.respond(fmt, "services", items)


@_guard
def service_definition(request, service_code, *, fmt, office, params):
    service = selectors.services(office).filter(code=service_code).first()
    if service is None:
        return render.errors(fmt, 404, [_("service_code: unknown service.")])
    return render.respond(fmt, "service_definition", selectors.service_definition(service))


def _when(value: str, *, end=False):
    value = (value or "").strip().replace(" ", "+")
    if not value:
        return None
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise ValueError(value)
        moment = datetime.datetime.combine(day, datetime.time.max if end else datetime.time.min)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _list(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


@csrf_exempt
@_guard
def request_list(request, *, fmt, office, params):
    if request.method == "POST":
        return _post(request, fmt=fmt, office=office, params=params)
    if request.method != "GET":
        return render.errors(fmt, 405, [_("Method not allowed.")])
    try:
        start = _when(params.get("start_date", ""))
        end = _when(params.get("end_date", ""), end=True)
    except ValueError:
        return render.errors(
            fmt, 400, [_("start_date/end_date: use W3C format, e.g. 2026-01-01T00:00:00+07:00.")]
        )
    if start and end and (end < start or end - start > selectors.MAX_RANGE):
        return render.errors(fmt, 400, [_("The date range may span at most 90 days.")])
    statuses = _list(params.get("status", ""))
    if any(s not in ("open", "closed") for s in statuses):
        return render.errors(fmt, 400, [_("status: open or closed.")])
    found = selectors.request_list(
        ids=_list(params.get("service_request_id", "")),
        service_codes=_list(params.get("service_code", "")),
        statuses=statuses,
        start=start,
        end=end,
        office=office,
    )
    return render.respond(fmt, "requests", [selectors.request_item(r) for r in found])


def _post(request, *, fmt, office, params):
    client = services.api_client_for_key(params.get("api_key", ""))
    if client is None:
        return render.errors(fmt, 403, [_("api_key: missing or not valid.")])
    wait = wait_seconds(Open311PostThrottle(client), request)
    if wait is not None:
        return render.errors(
            fmt,
            429,
            [_("Too many requests; try again in %(s)d s.") % {"s": wait}],
            {"Retry-After": str(wait)},
        )
    try:
        filed = services.open311_request_submit(client=client, params=params, office=office)
    except services.Open311Error as error:
        status = error.status_code if error.status_code in (400, 404, 409, 413) else 400
        return render.errors(fmt, status, error.descriptions)
    item = {
        "service_request_id": filed.request.registration_number,
        "token": filed.token,
        "service_notice": selectors.service_notice(filed.request.service),
        "account_id": "",
    }
    return render.respond(fmt, "requests", [item], status=201)


@_guard
def request_detail(request, service_request_id, *, fmt, office, params):
    found = selectors.request_by_id(service_request_id, office)
    if found is None:
        return render.errors(fmt, 404, [_("service_request_id: unknown request.")])
    return render.respond(fmt, "requests", [selectors.request_item(found)])


@_guard
def token_detail(request, token, *, fmt, office, params):
    filed = Open311Request.objects.select_related("request").filter(token=token).first()
    if filed is None or (office is not None and filed.request.office_id != office.pk):
        return render.errors(fmt, 404, [_("token: unknown token.")])
    item = {"service_request_id": filed.request.registration_number, "token": filed.token}
    return render.respond(fmt, "requests", [item])
