from django.shortcuts import redirect
from django.urls import reverse

from .selectors import CHANGE_INITIAL_PASSWORD, initial_password_pending

# Pages a user with an initial password may still open.
_ALLOWED = ("accounts:password_change", "logout")


class ForcePasswordChangeMiddleware:
    """Until an initial password is replaced, every page redirects to the change page
    and the API answers 403 (the session flag spares a query on every request after)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and self._must_change(request, user):
            allowed = {reverse(name) for name in _ALLOWED}
            if request.path not in allowed and not request.path.startswith("/static/"):
                if request.path.startswith("/api/"):
                    from django.http import JsonResponse

                    return JsonResponse({"detail": str(CHANGE_INITIAL_PASSWORD)}, status=403)
                return redirect(f"{reverse('accounts:password_change')}?next={request.path}")
        return self.get_response(request)

    @staticmethod
    def _must_change(request, user) -> bool:
        session = getattr(request, "session", None)
        if session is not None and session.get("password_checked") == user.pk:
            return False
        must = initial_password_pending(user)
        if not must and session is not None:
            session["password_checked"] = user.pk
        return must
