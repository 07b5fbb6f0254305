from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SkpConfig(AppConfig):
    name = "skp"
    verbose_name = _("SKP (performance targets)")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_record_login, dispatch_uid="skp.record_login")


def _record_login(sender, request, user, **kwargs):
    """Keep a login row and put the *previous* login in the session for the staff pages.
    (Django's own receiver has already overwritten `user.last_login` by now.)"""
    from .services import login_record

    login_record(user=user, session=getattr(request, "session", None))
