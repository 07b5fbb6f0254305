"""The authentication backend: Django's ModelBackend, the signed-in user read as a
prepared statement.

Every signed-in page reads its user after the session: `ModelBackend.get_user` built,
compiled and planned the lookup each time (a tenth of the staff queue page's CPU,
profiled). Here it is compiled once per process and prepared once per connection
(config/compiled.py), and the row becomes the same model instance the ORM makes (on
PostgreSQL, whose rows need none of the ORM's converters; elsewhere Django's own read).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import connections, router

from config.compiled import CompiledOnce

_USER = CompiledOnce(
    lambda user_id: get_user_model()._default_manager.filter(pk=user_id), user_id=-917_351_149
)


class UserBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username, password, **kwargs)
        if user is None:
            # Stop here: the ModelBackend listed after this one (settings.py) would only
            # check the same password once more, doubling a failed login's hashing.
            raise PermissionDenied
        return user

    def get_user(self, user_id):
        model = get_user_model()
        alias = router.db_for_read(model)
        if connections[alias].vendor != "postgresql":  # raw rows skip the ORM's converters
            return super().get_user(user_id)
        found = _USER.rows(alias, user_id=user_id)
        if not found:
            return None
        names = [field.attname for field in model._meta.concrete_fields]
        user = model.from_db(alias, names, found[0])
        return user if self.user_can_authenticate(user) else None
