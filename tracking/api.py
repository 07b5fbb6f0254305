"""Public tracking API: GET /api/v1/track/<registration_number>/ (CONTRACT.md section 3)."""

import json

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ParseError, Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config import plain_json, ratelimit
from config.ratelimit import TrackThrottle
from workflow.numbers import InvalidNumber, normalize

from . import cache
from .selectors import public_status


class TrackServiceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class TrackStepRefSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    name = serializers.CharField()


class TrackStepSerializer(TrackStepRefSerializer):
    state = serializers.ChoiceField(choices=["done", "current", "pending"])


class TrackHistorySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    step = TrackStepRefSerializer(allow_null=True)
    note = serializers.CharField(
        allow_null=True, help_text="Only a note staff chose to publish (public_note), else null."
    )


class TrackOutputSerializer(serializers.Serializer):
    registration_number = serializers.CharField()
    service = TrackServiceSerializer()
    status = serializers.CharField()
    status_label = serializers.CharField()
    current_step = TrackStepRefSerializer(allow_null=True)
    steps = TrackStepSerializer(many=True)
    history = TrackHistorySerializer(many=True)
    submitted_at = serializers.DateTimeField()
    due_date = serializers.DateField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)


class TrackApi(APIView):
    """Public status of a request by registration number. No personal data."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [TrackThrottle]

    @classmethod
    def as_view(cls, **initkwargs):
        # A plain JSON GET is answered by `_plain_json_lookup` from the cached answer's
        # bytes, without DRF's dispatch; the rest (HEAD, OPTIONS, the browsable API) by
        # `get` below. Both answer byte for byte alike (tests/tracking/test_track_fast_path.py).
        return plain_json.fast_path(super().as_view(**initkwargs), _plain_json_lookup)

    @extend_schema(
        responses={
            200: TrackOutputSerializer,
            400: inline_serializer("TrackInvalid", {"detail": serializers.CharField()}),
            404: inline_serializer("TrackNotFound", {"detail": serializers.CharField()}),
            429: inline_serializer("TrackThrottled", {"detail": serializers.CharField()}),
        },
        summary="Track a request by its registration number",
    )
    def get(self, request, registration_number):
        try:
            key = normalize(registration_number)
        except InvalidNumber:
            raise ParseError(INVALID) from None
        body = cache.cached(key, "api", lambda: contract_json(key))
        if body is None:
            raise NotFound(UNKNOWN)
        return Response(json.loads(body))


_HEADERS = plain_json.drf_headers(TrackApi)
INVALID = _("not a valid registration number, please check it again")
UNKNOWN = _("No request has this registration number.")


def _plain_json_lookup(request, registration_number):
    """The JSON lookup: the rate limit and the cache read in one Redis round trip, a hit
    served as its stored bytes; errors through DRF's exception handler."""
    try:
        key = normalize(registration_number)
    except InvalidNumber:
        wait = ratelimit.hit(TrackThrottle.scope, ratelimit.address_ident(request))
        return plain_json.error_response(
            Throttled(wait) if wait is not None else ParseError(INVALID), _HEADERS
        )
    wait, body = cache.counted_lookup(request, key, "api", lambda: contract_json(key))
    if wait is not None:
        return plain_json.error_response(Throttled(wait), _HEADERS)
    if body is None:
        return plain_json.error_response(NotFound(UNKNOWN), _HEADERS)
    return plain_json.json_response(body, _HEADERS)


_AT = serializers.DateTimeField()
_DAY = serializers.DateField()


def contract_json(key: str) -> bytes | None:
    """The answer's JSON bytes, as DRF renders TrackOutputSerializer's data; None when
    no request has this number."""
    status = public_status(key)
    return None if status is None else plain_json.RENDERER.render(contract_data(status))


def contract_data(status) -> dict:
    """TrackOutputSerializer's output, built directly: the serializer built ~40 field
    objects per call, a third of a lookup's CPU (profiled), for values that are already
    plain; only the times and dates take DRF's format. Held equal to the serializer by
    tests/tracking/test_track_fast_path.py."""
    data = status.as_contract()
    data["history"] = [
        {**entry, "at": _AT.to_representation(entry["at"])} for entry in data["history"]
    ]
    data["submitted_at"] = _AT.to_representation(data["submitted_at"])
    data["completed_at"] = _AT.to_representation(data["completed_at"])
    data["due_date"] = _DAY.to_representation(data["due_date"])
    return data
