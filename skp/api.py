"""SKP API (CONTRACT.md section 3 "SKP"): thin views that parse, check and call one service.

Reading an SKP (detail, history) answers 404 to anyone but its owner and its pejabat
penilai of the day; actions answer 403 to whoever may not perform them.
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from config.openapi import page_of

from . import selectors, services
from .models import CORE_VALUE_GUIDES, CoreValue, Indicator, Rhk, Skp

# --- output ------------------------------------------------------------------------------


class IndicatorOutput(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "text", "target", "unit", "aspect"]


class RhkOutput(serializers.ModelSerializer):
    indicators = IndicatorOutput(many=True, read_only=True)

    class Meta:
        model = Rhk
        fields = ["id", "kind", "text", "order", "parent_rhk", "indicators"]


class SkpListItemOutput(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    employee = serializers.SerializerMethodField()
    position = serializers.SerializerMethodField()
    acting_as = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)

    def get_employee(self, skp) -> dict:
        return {
            "name": skp.employee_name or skp.employee.name,
            "nip": skp.employee_nip or skp.employee.nip,
        }

    def get_position(self, skp) -> dict:
        return {
            "name": skp.position_name or skp.position.name,
            "unit": skp.unit_name or skp.position.unit.name,
        }

    def get_acting_as(self, skp) -> str | None:
        acted = self.context.get("acted") or {}
        return acted.get(skp.position.superior_id)


class SkpDetailOutput(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    created_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)
    employee = serializers.SerializerMethodField()
    pejabat_penilai = serializers.SerializerMethodField()
    rhk = RhkOutput(source="rhks", many=True, read_only=True)
    perilaku_kerja = serializers.SerializerMethodField()

    def _doc(self, skp) -> dict:
        if "doc" not in self.context:
            self.context["doc"] = selectors.skp_document(skp=skp, on=timezone.localdate())
        return self.context["doc"]

    def get_employee(self, skp) -> dict:
        doc = self._doc(skp)
        return {
            "name": doc["employee_name"],
            "nip": doc["employee_nip"],
            "position": doc["position_name"],
            "unit": doc["unit_name"],
        }

    def get_pejabat_penilai(self, skp) -> dict | None:
        doc = self._doc(skp)
        if not doc["penilai_name"]:
            return None
        return {
            "name": doc["penilai_name"],
            "nip": doc["penilai_nip"],
            "position": doc["penilai_position_name"],
            "unit": doc["penilai_unit_name"],
        }

    def get_perilaku_kerja(self, skp) -> list[dict]:
        expectations = {e.core_value: e.text for e in skp.expectations.all()}
        return [
            {
                "code": value.value,
                "label": str(value.label),
                "guide": str(CORE_VALUE_GUIDES[value]),
                "expectation": expectations.get(value.value, ""),
            }
            for value in CoreValue
        ]


class SkpEventOutput(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    actor = serializers.SerializerMethodField()
    acting_as = serializers.SerializerMethodField()
    from_status = serializers.SerializerMethodField()
    to_status = serializers.CharField()
    note = serializers.CharField()

    def get_actor(self, event) -> str | None:
        return event.actor.get_username() if event.actor else None

    def get_acting_as(self, event) -> str | None:
        return event.acting_as or None

    def get_from_status(self, event) -> str | None:
        return event.from_status or None


# --- input -------------------------------------------------------------------------------


class SkpCreateInput(serializers.Serializer):
    year = serializers.IntegerField()


class RhkInput(serializers.Serializer):
    text = serializers.CharField()
    kind = serializers.ChoiceField(choices=Rhk.Kind.choices, default=Rhk.Kind.MAIN)
    parent_rhk = serializers.PrimaryKeyRelatedField(
        queryset=Rhk.objects.select_related("skp"), allow_null=True, required=False
    )
    order = serializers.IntegerField(min_value=0, max_value=32767, required=False)


class IndicatorInput(serializers.Serializer):
    text = serializers.CharField()
    target = serializers.CharField(max_length=100)
    unit = serializers.CharField(max_length=100)
    aspect = serializers.ChoiceField(
        choices=Indicator.Aspect.choices, default=Indicator.Aspect.QUANTITY
    )


class NoteInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ExpectationInput(serializers.Serializer):
    core_value = serializers.ChoiceField(choices=CoreValue.choices)
    text = serializers.CharField(allow_blank=True)


# --- views -------------------------------------------------------------------------------


def _skp_or_404(skp_id) -> Skp:
    return get_object_or_404(Skp.objects.select_related("position"), pk=skp_id)


def _detail_response(skp_id, *, status_code=status.HTTP_200_OK) -> Response:
    skp = selectors.skp_get_with_content(skp_id=skp_id)
    return Response(SkpDetailOutput(skp, context={}).data, status=status_code)


class SkpListCreateApi(APIView):
    @extend_schema(
        operation_id="skp_list",
        parameters=[
            OpenApiParameter(
                "scope",
                enum=["mine", "to_review"],
                default="mine",
                description="mine: my SKP; to_review: submitted SKP I validate today "
                "(as the definitive holder or the PLT/PLH of the owner's superior position).",
            )
        ],
        responses=page_of("SkpPage", SkpListItemOutput(many=True)),
    )
    def get(self, request):
        scope = request.query_params.get("scope", "mine")
        if scope == "mine":
            qs, acted = selectors.skp_list_mine(user=request.user), {}
        elif scope == "to_review":
            qs, acted = selectors.skp_list_to_review(user=request.user, on=timezone.localdate())
        else:
            raise ValidationError({"scope": [_('Use "mine" or "to_review".')]})
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        data = SkpListItemOutput(page, many=True, context={"acted": acted}).data
        return paginator.get_paginated_response(data)

    @extend_schema(request=SkpCreateInput, responses={201: SkpDetailOutput})
    def post(self, request):
        data = SkpCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        skp = services.skp_create(user=request.user, year=data.validated_data["year"])
        return _detail_response(skp.pk, status_code=status.HTTP_201_CREATED)


class SkpDetailApi(APIView):
    @extend_schema(responses=SkpDetailOutput)
    def get(self, request, skp_id):
        skp = selectors.skp_get_with_content(skp_id=skp_id)
        if skp is None or not selectors.skp_visible_to(
            skp=skp, user=request.user, on=timezone.localdate()
        ):
            raise NotFound()
        return Response(SkpDetailOutput(skp, context={}).data)


class SkpHistoryApi(APIView):
    @extend_schema(responses=SkpEventOutput(many=True))
    def get(self, request, skp_id):
        skp = _skp_or_404(skp_id)
        if not selectors.skp_visible_to(skp=skp, user=request.user, on=timezone.localdate()):
            raise NotFound()
        events = selectors.skp_history(skp=skp)
        return Response(SkpEventOutput(events, many=True).data)


class RhkCreateApi(APIView):
    @extend_schema(request=RhkInput, responses={201: RhkOutput})
    def post(self, request, skp_id):
        skp = _skp_or_404(skp_id)
        data = RhkInput(data=request.data)
        data.is_valid(raise_exception=True)
        rhk = services.rhk_create(skp=skp, user=request.user, **data.validated_data)
        return Response(RhkOutput(rhk).data, status=status.HTTP_201_CREATED)


class RhkDetailApi(APIView):
    def _rhk(self, skp_id, rhk_id) -> Rhk:
        return get_object_or_404(Rhk.objects.select_related("skp"), pk=rhk_id, skp_id=skp_id)

    @extend_schema(request=RhkInput, responses=RhkOutput)
    def patch(self, request, skp_id, rhk_id):
        rhk = self._rhk(skp_id, rhk_id)
        data = RhkInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        rhk = services.rhk_update(rhk=rhk, user=request.user, data=data.validated_data)
        return Response(RhkOutput(rhk).data)

    @extend_schema(responses={204: None})
    def delete(self, request, skp_id, rhk_id):
        services.rhk_delete(rhk=self._rhk(skp_id, rhk_id), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class IndicatorCreateApi(APIView):
    @extend_schema(request=IndicatorInput, responses={201: IndicatorOutput})
    def post(self, request, skp_id, rhk_id):
        rhk = get_object_or_404(Rhk.objects.select_related("skp"), pk=rhk_id, skp_id=skp_id)
        data = IndicatorInput(data=request.data)
        data.is_valid(raise_exception=True)
        indicator = services.indicator_create(rhk=rhk, user=request.user, **data.validated_data)
        return Response(IndicatorOutput(indicator).data, status=status.HTTP_201_CREATED)


class IndicatorDetailApi(APIView):
    def _indicator(self, skp_id, rhk_id, indicator_id) -> Indicator:
        return get_object_or_404(
            Indicator.objects.select_related("rhk__skp"),
            pk=indicator_id,
            rhk_id=rhk_id,
            rhk__skp_id=skp_id,
        )

    @extend_schema(request=IndicatorInput, responses=IndicatorOutput)
    def patch(self, request, skp_id, rhk_id, indicator_id):
        indicator = self._indicator(skp_id, rhk_id, indicator_id)
        data = IndicatorInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        indicator = services.indicator_update(
            indicator=indicator, user=request.user, data=data.validated_data
        )
        return Response(IndicatorOutput(indicator).data)

    @extend_schema(responses={204: None})
    def delete(self, request, skp_id, rhk_id, indicator_id):
        indicator = self._indicator(skp_id, rhk_id, indicator_id)
        services.indicator_delete(indicator=indicator, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SkpSubmitApi(APIView):
    @extend_schema(request=None, responses=SkpDetailOutput)
    def post(self, request, skp_id):
        skp = services.skp_submit(skp=_skp_or_404(skp_id), user=request.user)
        return _detail_response(skp.pk)


class SkpApproveApi(APIView):
    @extend_schema(request=NoteInput, responses=SkpDetailOutput)
    def post(self, request, skp_id):
        data = NoteInput(data=request.data)
        data.is_valid(raise_exception=True)
        skp = services.skp_approve(
            skp=_skp_or_404(skp_id), user=request.user, note=data.validated_data["note"]
        )
        return _detail_response(skp.pk)


class SkpReturnApi(APIView):
    service = staticmethod(services.skp_return)

    @extend_schema(request=NoteInput, responses=SkpDetailOutput)
    def post(self, request, skp_id):
        data = NoteInput(data=request.data)
        data.is_valid(raise_exception=True)
        skp = self.service(
            skp=_skp_or_404(skp_id), user=request.user, note=data.validated_data["note"]
        )
        return _detail_response(skp.pk)


class SkpReopenApi(SkpReturnApi):
    service = staticmethod(services.skp_reopen)


class SkpExpectationApi(APIView):
    """The pejabat penilai sets a specific expectation for one BerAKHLAK value."""

    @extend_schema(request=ExpectationInput, responses=SkpDetailOutput)
    def put(self, request, skp_id):
        data = ExpectationInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.skp_expectation_set(
            skp=_skp_or_404(skp_id), user=request.user, **data.validated_data
        )
        return _detail_response(skp_id)
