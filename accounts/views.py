"""HR's bulk account creation and everyone's password change (forced at first login)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from config.forms import submitted
from organization.models import Office
from organization.selectors import hr_office_ids

from . import services
from .forms import BulkAccountsForm
from .models import InitialPassword
from .selectors import initial_password_pending


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def bulk_accounts(request):
    offices = list(Office.objects.filter(pk__in=hr_office_ids(request.user)))
    if not offices:
        raise PermissionDenied
    form = BulkAccountsForm(submitted(request)[0], offices=offices)
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"]
        office = next(o for o in offices if o.pk == form.cleaned_data["office"])
        credentials = services.accounts_create_for(user=request.user, office=office, unit=unit)
        # Shown once, never stored in clear: the page is the printable hand-out.
        response = render(
            request,
            "accounts/credentials.html",
            {"credentials": credentials, "office": office, "unit": unit},
        )
        return response
    pending = InitialPassword.objects.filter(
        user__employee__holdings__position__unit__office__in=offices
    ).distinct()
    return render(
        request,
        "accounts/bulk.html",
        {"form": form, "pending": pending.count()},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    forced = initial_password_pending(request.user)
    form = PasswordChangeForm(request.user, submitted(request)[0])
    next_url = request.POST.get("next") or request.GET.get("next") or "/staf/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = "/staf/"
    if request.method == "POST" and form.is_valid():
        services.password_change(
            request=request, user=request.user, new_password=form.cleaned_data["new_password1"]
        )
        messages.success(request, _("Your password was changed."))
        return redirect(next_url)
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "forced": forced, "next": next_url},
        status=400 if request.method == "POST" else 200,
    )
