"""Public catalogue API (CONTRACT.md section 3, "Catalogue"): read-only, no login."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import generics, serializers
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from config import plain_json, ratelimit
from config.ratelimit import CatalogueThrottle
from organization.models import Office, Unit

from . import cache
from .models import FormField, RequiredDocument, ServiceType, Step
from .selectors import SEARCH_MAX_CHARS, service_type_list_public, service_type_search


class OfficeOutput(serializers.ModelSerializer):
    class Meta:
        model = Office
        fields = ["code", "name"]


class UnitOutput(serializers.ModelSerializer):
    office = OfficeOutput(read_only=True)

    class Meta:
        model = Unit
        fields = ["code", "name", "office"]


class FormFieldOutput(serializers.ModelSerializer):
    choices = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = FormField
        fields = ["code", "label", "type", "required", "choices"]


class RequiredDocumentOutput(serializers.ModelSerializer):
    content_types = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = RequiredDocument
        fields = ["code", "label", "required", "content_types", "max_bytes"]


class StepOutput(serializers.ModelSerializer):
    class Meta:
        model = Step
        fields = ["order", "name", "sla_working_days", "may_return", "produces_result"]


class ServiceTypeOutput(serializers.ModelSerializer):
    unit = UnitOutput(read_only=True, help_text=_("The responsible unit and its office."))
    fields = FormFieldOutput(many=True, read_only=True)
    documents = RequiredDocumentOutput(many=True, read_only=True)
    steps = StepOutput(many=True, read_only=True)

    class Meta:
        model = ServiceType
        fields = [
            "code",
            "name",
            "description",
            "unit",
            "sla_working_days",
            "fee",
            "product",
            "requirements",
            "legal_basis",
            "fields",
            "documents",
            "steps",
        ]


# The errors' shape (config/exceptions.py); the limit is CATALOGUE_RATE_LIMIT per address.
THROTTLED = inline_serializer("CatalogueThrottled", {"detail": serializers.CharField()})
NOT_FOUND = inline_serializer("CatalogueNotFound", {"detail": serializers.CharField()})


@extend_schema_view(
    get=extend_schema(
        summary="List active services",
        description="The public catalogue: every active service with its standard, "
        "application form, required documents and ordered steps. With `q`, only the "
        "services matching it, best match first (typos and synonyms forgiven).",
        tags=["catalogue"],
        responses={200: ServiceTypeOutput, 429: THROTTLED},
        parameters=[
            OpenApiParameter(
                "q",
                str,
                description=f"Search words (at most {SEARCH_MAX_CHARS} characters), e.g. "
                "`legalisasi ijasah`; name and synonyms rank above the description.",
            )
        ],
    )
)
class ServiceTypeListApi(generics.ListAPIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [CatalogueThrottle]
    serializer_class = ServiceTypeOutput
    queryset = ServiceType.objects.none()
    filter_backends = []

    @classmethod
    def as_view(cls, **initkwargs):
        drf_view, headers = super().as_view(**initkwargs), plain_json.drf_headers(cls)

        def first_page(request):
            if "q" in request.GET or "page" in request.GET:
                return None  # searches and later pages: DRF's view
            return _cached_json(f"list-json:{request.get_host()}", drf_view, headers, request)

        return plain_json.fast_path(drf_view, first_page)

    def get_queryset(self):
        query = self.request.query_params.get("q", "")
        return service_type_search(service_type_list_public(), query=query)

    def list(self, request, *args, **kwargs):
        if request.query_params.get("q", "").strip():
            # Searches are not cached: typed words would fill the cache.
            return super().list(request, *args, **kwargs)
        # The page's links are absolute: the host is part of the answer. Only the page
        # number is keyed, so made-up query strings cannot fill the cache.
        build = super().list
        name = f"list:{request.get_host()}:{request.query_params.get('page', '1')}"
        return Response(cache.cached_answer(name, lambda: build(request, *args, **kwargs).data))


@extend_schema_view(
    get=extend_schema(
        summary="One active service",
        description="A service by its code; inactive or unknown codes answer 404.",
        tags=["catalogue"],
        responses={200: ServiceTypeOutput, 404: NOT_FOUND, 429: THROTTLED},
    )
)
class ServiceTypeDetailApi(generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [CatalogueThrottle]
    serializer_class = ServiceTypeOutput
    queryset = ServiceType.objects.none()
    lookup_field = "code"
    filter_backends = []

    @classmethod
    def as_view(cls, **initkwargs):
        drf_view, headers = super().as_view(**initkwargs), plain_json.drf_headers(cls)

        def detail(request, code):
            return _cached_json(f"detail-json:{code}", drf_view, headers, request, code=code)

        return plain_json.fast_path(drf_view, detail)

    def get_queryset(self):
        return service_type_list_public()

    def retrieve(self, request, *args, **kwargs):
        build = super().retrieve
        name = f"detail:{kwargs.get(self.lookup_field)}"
        return Response(cache.cached_answer(name, lambda: build(request, *args, **kwargs).data))


def _cached_json(name: str, drf_view, headers: dict, request, **kwargs):
    """A plain JSON GET of the catalogue: DRF's own answer, rendered once per catalogue
    version and served as those bytes (rendering the whole catalogue again for every
    visitor was most of its cost); an error answer is DRF's and is not cached. The
    client is counted against CATALOGUE_RATE_LIMIT and the catalogue's version read in
    one round trip to Redis, as the track API does."""
    scope = CatalogueThrottle.scope
    wait, found = ratelimit.hit_and_read(
        scope, ratelimit.address_ident(request), [cache.VERSION_KEY]
    )
    if wait is not None:
        return plain_json.error_response(Throttled(wait), headers)
    ratelimit.counted(request, scope)  # DRF's view, building a miss, counts it no more
    answered = None

    def build():
        nonlocal answered
        answered = drf_view(request, **kwargs)
        return plain_json.rendered(answered)

    body = cache.cached_answer(name, build, version=found.get(cache.VERSION_KEY))
    if body is None:
        return answered
    return plain_json.json_response(body, headers)
