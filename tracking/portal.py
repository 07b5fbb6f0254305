"""The citizen portal's page plumbing, shared by its views: the applicant's access token
kept in the session, one-time form tokens (a double submit makes one request), the
404/429 pages and the one submit path of the application form (web and counter)."""

import hashlib
import secrets

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from config import ratelimit
from config.exceptions import ApplicationError, NotFound
from services_catalog.models import ServiceType
from workflow import selectors as workflow_selectors
from workflow.numbers import InvalidNumber, normalize

from . import receipts
from . import services as tracking_services
from .forms import ApplicationForm

SESSION_TOKENS = "alur_access_tokens"


def remember_token(request, service_request) -> None:
    tokens = dict(request.session.get(SESSION_TOKENS, {}))
    tokens[service_request.registration_key] = service_request.access_token
    request.session[SESSION_TOKENS] = tokens


def not_found_page(request, *, status=404):
    return render(request, "tracking/not_found.html", status=status)


def applicant_request(request, number):
    """The request `number` if this browser holds its access token, else None.

    The token is compared (in constant time) by the workflow selector; unknown number and
    wrong token are answered the same way by the callers.
    """
    try:
        key = normalize(number)
    except InvalidNumber:
        return None
    token = request.session.get(SESSION_TOKENS, {}).get(key)
    if not token:
        return None
    return request_for_token(key, token)


def request_for_token(key, token):
    try:
        return workflow_selectors.request_for_applicant(key, token)
    except NotFound:
        return None


def see_other(request, viewname, *args):
    """Redirect after a successful POST. The upload script (XMLHttpRequest) gets the target
    in a header instead, so the next page (and its one-time messages) loads only once."""
    url = reverse(viewname, args=args)
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        response = HttpResponse(status=204)
        response["X-Location"] = url
        return response
    return redirect(url)


def throttled_page(request, scope, *, ident=None):
    """The 429 page when `scope`'s limit is used up for this client, else None."""
    seconds = ratelimit.seconds_to_wait(scope, request, ident=ident)
    return None if seconds is None else throttled_page_for(request, scope, seconds)


def throttled_page_for(request, scope, seconds: int):
    """The 429 page of `scope`: come back in `seconds`."""
    response = render(
        request, "tracking/throttled.html", {"wait": seconds, "scope": scope}, status=429
    )
    response["Retry-After"] = str(seconds)
    return response


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


def bound_form_token(request, posted) -> str:
    """The key a posted one-time form token is stored under: bound to this browser's CSRF
    secret (every form POST carries it), so another browser posting a copied token makes
    its own request instead of being shown the first visitor's receipt."""
    posted = (posted or "")[:64]
    if not posted:
        return ""
    secret = request.META.get("CSRF_COOKIE") or ""
    return hashlib.sha256(f"{secret}:{posted}".encode()).hexdigest()


def service_or_404(code):
    return get_object_or_404(ServiceType.objects.public().with_catalogue(), code=code)


def service_context(service):
    return {
        "service": service,
        "steps": list(service.steps.all()),
        "fee": receipts.rupiah(service.fee),
    }


def submit_posted_form(request, service, *, channel, acting_user):
    """Parse the posted form and submit it once. Returns (form, request_or_None)."""
    form = ApplicationForm(request.POST, request.FILES, service=service)
    form.is_valid()  # parsing only: the rules are the workflow's
    try:
        service_request = tracking_services.application_submit_once(
            form_token=bound_form_token(request, form.cleaned_data.get("form_token")),
            service=service,
            applicant=form.applicant(),
            data=form.catalogue_data(),
            documents=form.catalogue_documents(),
            channel=channel,
            acting_user=acting_user,
        )
    except ApplicationError as exc:
        form.apply_errors(exc)
        form.status_code = exc.status_code
        return form, None
    return form, service_request


def form_error_response(request, template, context, form):
    data = form.data.copy()
    data["form_token"] = new_form_token()  # a failed attempt created nothing
    form.data = data
    return render(request, template, context, status=getattr(form, "status_code", 400))
