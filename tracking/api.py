"""Public tracking API: GET /api/v1/track/<registration_number>/ (CONTRACT.md section 3)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

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
            raise ParseError(_("not a valid registration number, please check it again")) from None
        data = cache.cached(key, "api", lambda: _contract(key))
        if data is None:
            raise NotFound(_("No request has this registration number."))
        return Response(data)


def _contract(key: str) -> dict | None:
    status = public_status(key)
    return None if status is None else dict(TrackOutputSerializer(status.as_contract()).data)
