"""API of the year's work (CONTRACT.md 7, DOMAIN.md 8): rencana aksi with realisasi,
bukti dukung, umpan balik. Thin views: parse, check, call one service, answer.

Reads answer 404 to anyone but the owner, the pejabat penilai of the day and HR."""

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from config.parsers import StrictJSONParser
from config.uploads import STORED_FILE_RESPONSES, download_name, file_response

from . import selectors, selectors_realisation, services_realisation
from .models import CoreValue, Rhk, Skp
from .models_realisation import BuktiDukung, RencanaAksi
from .rules import capaian

# --- output ------------------------------------------------------------------------------


def _dec(value) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def bukti_dukung_data(skp_id: int, bd: BuktiDukung) -> dict:
    if bd.kind == BuktiDukung.Kind.LINK:
        return {"id": bd.pk, "kind": "link", "url": bd.url}
    args = [skp_id, bd.rencana_aksi_id, bd.pk]
    return {
        "id": bd.pk,
        "kind": "file",
        "name": bd.original_name,
        "url": reverse("skp:bukti_dukung", args=args),  # the page (session)
        "api_url": reverse("api-skp-bukti-dukung-detail", args=args),  # token or session
    }


def feedback_data(fb) -> dict:
    return {
        "id": fb.pk,
        "period": fb.period,
        "rhk": fb.rhk_id,
        "core_value": fb.core_value or None,
        "by": fb.by,
        "text": fb.text,
        "at": timezone.localtime(fb.at).isoformat(),
    }


def rencana_aksi_document(*, skp: Skp, month: int) -> dict:
    """The GET shape of DOMAIN.md 8 for one month."""
    office_id = selectors_realisation.office_id_of(skp)
    sheet = selectors_realisation.rencana_aksi_sheet(skp=skp, month=month)
    feedback = [
        f
        for f in selectors_realisation.feedback_for(skp=skp)
        if f.rhk_id and month in _months(f.period)
    ]
    by_rhk: dict[int, list] = {}
    for ra in sheet:
        by_rhk.setdefault(ra.rhk_id, []).append(ra)
    rhks = []
    for rhk in skp.rhks.all():
        items = []
        for ra in by_rhk.get(rhk.pk, []):
            real = getattr(ra, "realisasi", None)
            items.append(
                {
                    "id": ra.pk,
                    "text": ra.text,
                    "target": _dec(ra.target),
                    "unit": ra.unit,
                    "is_risk_control": ra.is_risk_control,
                    "realisasi": None
                    if real is None
                    else {
                        "value": _dec(real.value),
                        "note": real.note,
                        "indicator": real.indicator_id,
                        "capaian": f"{capaian(realisasi=real.value, target=ra.target):.2f}",
                        "capaian_raw": f"{real.capaian_raw:.2f}",
                        "source": real.source,
                        "daily_entries": real.daily_entries,
                        "daily_evidence": real.daily_evidence,
                    },
                    "bukti_dukung": [bukti_dukung_data(skp.pk, bd) for bd in ra.bukti_dukung.all()],
                    "umpan_balik": [feedback_data(f) for f in feedback if f.rhk_id == rhk.pk],
                }
            )
        rhks.append(
            {
                "id": rhk.pk,
                "text": rhk.text,
                "kind": rhk.kind,
                "indicators": [
                    {
                        "id": i.pk,
                        "text": i.text,
                        "target": i.target,
                        "unit": i.unit,
                        "aspect": i.aspect,
                    }
                    for i in rhk.indicators.all()
                ],
                "rencana_aksi": items,
            }
        )
    value = selectors_realisation.capaian_pegawai(skp=skp, month=month)
    return {
        "skp": {
            "id": skp.pk,
            "year": skp.year,
            "employee": {
                "nip": skp.employee_nip or skp.employee.nip,
                "name": skp.employee_name or skp.employee.name,
            },
            "status": skp.status,
        },
        "month": month,
        "locked": selectors_realisation.month_lock(office_id=office_id, year=skp.year, month=month)
        is not None,
        "is_head": skp.position.is_head,
        # "daily_log": realisasi is the sum of the linked daily log entries (not typed).
        "realisation_source": selectors_realisation.realisation_source(
            office_id=office_id, year=skp.year
        ),
        "rhk": rhks,
        "capaian_pegawai": None if value is None else f"{value:.2f}",
    }


def _months(code: str):
    from .rules import period_parse

    p = period_parse(code)
    return p.months if p else ()


# --- input --------------------------------------------------------------------------------


class RealisasiInput(serializers.Serializer):
    value = serializers.CharField()
    note = serializers.CharField(required=False, allow_blank=True)
    indicator = serializers.IntegerField(required=False, allow_null=True)


class RencanaAksiItemInput(serializers.Serializer):
    id = serializers.IntegerField(required=False)
    rhk = serializers.IntegerField()
    text = serializers.CharField()
    target = serializers.CharField()
    unit = serializers.CharField()
    is_risk_control = serializers.BooleanField(required=False)
    realisasi = RealisasiInput(required=False, allow_null=True)


class RencanaAksiPutInput(serializers.Serializer):
    month = serializers.IntegerField(min_value=1, max_value=12)
    items = RencanaAksiItemInput(many=True)


class FeedbackInput(serializers.Serializer):
    period = serializers.CharField(max_length=7)
    rhk = serializers.IntegerField(required=False, allow_null=True)
    core_value = serializers.ChoiceField(choices=CoreValue.choices, required=False)
    text = serializers.CharField(max_length=5000)


# --- views --------------------------------------------------------------------------------


def visible_skp(request, skp_id) -> Skp:
    skp = selectors.skp_get_with_content(skp_id=skp_id)
    if skp is None or not selectors_realisation.realisation_visible_to(
        skp=skp, user=request.user, on=timezone.localdate()
    ):
        raise NotFound()
    return skp


def _month_param(request) -> int:
    raw = request.query_params.get("bulan") or request.query_params.get("month")
    if raw is None:
        return timezone.localdate().month
    try:
        month = int(raw)
    except ValueError:
        month = 0
    if not 1 <= month <= 12:
        raise ValidationError({"bulan": [_("Enter a month from 1 to 12.")]})
    return month


class RencanaAksiApi(APIView):
    parser_classes = [StrictJSONParser]

    @extend_schema(
        operation_id="skp_rencana_aksi_get",
        parameters=[OpenApiParameter("bulan", int, description="Month 1-12 (default: now).")],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, skp_id):
        skp = visible_skp(request, skp_id)
        return Response(rencana_aksi_document(skp=skp, month=_month_param(request)))

    @extend_schema(
        operation_id="skp_rencana_aksi_put",
        request=RencanaAksiPutInput,
        responses=OpenApiTypes.OBJECT,
    )
    def put(self, request, skp_id):
        skp = get_object_or_404(Skp.objects.select_related("position__unit"), pk=skp_id)
        if not isinstance(request.data, dict):
            raise ValidationError({"detail": _("Send a JSON object.")})
        services_realisation.rencana_aksi_put(
            skp=skp,
            user=request.user,
            month=request.data.get("month"),
            items=request.data.get("items"),
        )
        month = request.data["month"]
        return Response(rencana_aksi_document(skp=visible_skp(request, skp_id), month=month))


def _rencana_aksi(skp_id, ra_id) -> RencanaAksi:
    return get_object_or_404(
        RencanaAksi.objects.select_related("skp__position__unit"), pk=ra_id, skp_id=skp_id
    )


class RencanaAksiDetailApi(APIView):
    @extend_schema(operation_id="skp_rencana_aksi_delete", responses={204: None})
    def delete(self, request, skp_id, ra_id):
        ra = _rencana_aksi(skp_id, ra_id)
        services_realisation.rencana_aksi_delete(rencana_aksi=ra, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class BuktiDukungCreateApi(APIView):
    parser_classes = [MultiPartParser, StrictJSONParser]

    @extend_schema(
        operation_id="skp_bukti_dukung_create",
        request={
            "multipart/form-data": inline_serializer(
                "BuktiDukungUpload", {"file": serializers.FileField()}
            ),
            "application/json": inline_serializer(
                "BuktiDukungLink", {"url": serializers.URLField()}
            ),
        },
        responses={201: OpenApiTypes.OBJECT},
    )
    def post(self, request, skp_id, ra_id):
        ra = _rencana_aksi(skp_id, ra_id)
        upload = request.FILES.get("file")
        url = None if upload else request.data.get("url")
        evidence = services_realisation.bukti_dukung_add(
            rencana_aksi=ra, user=request.user, file=upload, url=url
        )
        return Response(bukti_dukung_data(ra.skp_id, evidence), status=status.HTTP_201_CREATED)


class BuktiDukungDetailApi(APIView):
    def _evidence(self, skp_id, ra_id, bd_id) -> BuktiDukung:
        return get_object_or_404(
            BuktiDukung.objects.select_related("rencana_aksi__skp__position__unit"),
            pk=bd_id,
            rencana_aksi_id=ra_id,
            rencana_aksi__skp_id=skp_id,
        )

    @extend_schema(
        operation_id="skp_bukti_dukung_get",
        responses={**STORED_FILE_RESPONSES, 302: None},  # 302: evidence given as a link
    )
    def get(self, request, skp_id, ra_id, bd_id):
        visible_skp(request, skp_id)
        evidence = self._evidence(skp_id, ra_id, bd_id)
        if evidence.kind == BuktiDukung.Kind.LINK:
            return redirect(evidence.url)
        return file_response(
            evidence.file,
            download_name(f"bukti-dukung-{evidence.pk}", evidence.content_type),
            content_type=evidence.content_type,
        )

    @extend_schema(operation_id="skp_bukti_dukung_delete", responses={204: None})
    def delete(self, request, skp_id, ra_id, bd_id):
        evidence = self._evidence(skp_id, ra_id, bd_id)
        services_realisation.bukti_dukung_delete(evidence=evidence, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class FeedbackApi(APIView):
    @extend_schema(operation_id="skp_feedback_list", responses=OpenApiTypes.OBJECT)
    def get(self, request, skp_id):
        skp = visible_skp(request, skp_id)
        return Response([feedback_data(f) for f in selectors_realisation.feedback_for(skp=skp)])

    @extend_schema(
        operation_id="skp_feedback_create",
        request=FeedbackInput,
        responses={201: OpenApiTypes.OBJECT},
    )
    def post(self, request, skp_id):
        skp = get_object_or_404(Skp.objects.select_related("position__unit"), pk=skp_id)
        data = FeedbackInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        rhk = None
        if v.get("rhk") is not None:
            rhk = Rhk.objects.filter(pk=v["rhk"], skp=skp).first()
            if rhk is None:
                raise ValidationError({"rhk": [_("Choose an RHK of this SKP.")]})
        feedback = services_realisation.umpan_balik_add(
            skp=skp,
            user=request.user,
            period=v["period"],
            text=v["text"],
            rhk=rhk,
            core_value=v.get("core_value", ""),
        )
        return Response(feedback_data(feedback), status=status.HTTP_201_CREATED)
