from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every room shares and none owns: who logged in when, the operations
    commands, health probes, error answers and the fail-open cache. The lowest room: it
    imports no other Alur app."""

    name = "core"
    verbose_name = _("Core (logins and operations)")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import fsm_state, token_cache

        fsm_state.install()
        user_logged_in.connect(_record_login, dispatch_uid="core.record_login")
        token_cache.connect()


def _record_login(sender, request, user, **kwargs):
    """Keep a login row and put the *previous* login in the session for the pages.
    (Django's own receiver has already overwritten `user.last_login` by now.)"""
    from .services import login_record

    login_record(user=user, session=getattr(request, "session", None))
