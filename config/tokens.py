"""Staff API tokens that expire and can be revoked.

`POST /api/v1/auth/token/` (username, password) answers `{"token", "expires_at"}`: the
caller's current token while it is valid, else a fresh one. `DELETE` with the token revokes
it (logout); an administrator revokes anyone's in the admin ("Tokens"). A token older than
`API_TOKEN_TTL_HOURS` is refused (401) and deleted.
"""

from axes.exceptions import AxesBackendPermissionDenied
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import CHANGE_INITIAL_PASSWORD, initial_password_pending
from config.authentication import token_expires_at, token_is_expired
from config.ratelimit import TokenThrottle


@transaction.atomic
def token_for(user) -> Token:
    """The user's valid token, or a new one in place of an expired one."""
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and token_is_expired(token):
        token.delete()
        token = None
    return token or Token.objects.create(user=user)


TokenOutput = inline_serializer(
    "TokenOutput", {"token": serializers.CharField(), "expires_at": serializers.DateTimeField()}
)
TokenRefused = inline_serializer("TokenRefused", {"detail": serializers.CharField()})


class TokenView(APIView):
    """Log in for the API (rate limited per address; wrong passwords count towards the
    django-axes lockout like the login pages), or revoke the token you hold."""

    throttle_classes = [TokenThrottle]

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "DELETE" else [AllowAny()]

    @extend_schema(
        request=AuthTokenSerializer,
        responses={200: TokenOutput, 403: TokenRefused},
        auth=[],
    )
    def post(self, request):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        try:
            valid = serializer.is_valid()
        except AxesBackendPermissionDenied:
            valid = False
        if not valid:
            # django-axes marks the request it was handed when the login is locked out.
            if getattr(request, "axes_locked_out", False) or getattr(
                request._request, "axes_locked_out", False
            ):
                raise exceptions.Throttled(
                    wait=settings.AXES_COOLOFF_TIME * 3600,
                    detail=_("Too many failed logins; try again later."),
                )
            raise exceptions.ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        if initial_password_pending(user):
            # The pages send such a user to the change page; the API must not be a way round.
            raise exceptions.PermissionDenied(CHANGE_INITIAL_PASSWORD)
        token = token_for(user)
        expires = serializers.DateTimeField().to_representation(token_expires_at(token))
        return Response({"token": token.key, "expires_at": expires})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        if isinstance(request.auth, Token):
            Token.objects.filter(pk=request.auth.pk).delete()
        else:
            Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
