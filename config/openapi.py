"""Helpers of the OpenAPI schema (drf-spectacular) that several apps share."""

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers


def page_of(name: str, item: serializers.Serializer):
    """The component `name`: one page of `item` (a serializer instance, many=True), for
    views that paginate by hand with PageNumberPagination."""
    return inline_serializer(
        name,
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item,
        },
    )


def polymorphic_any_of(result, generator, request, public):
    """POSTPROCESSING_HOOKS: a PolymorphicProxySerializer without a discriminator is
    written as `oneOf`, which means "exactly one". Alternatives here extend one another
    (staff see a request as its applicant does, plus the open task), so a staff answer
    matches both and breaks `oneOf`; `anyOf` says what is meant."""
    for schema in result.get("components", {}).get("schemas", {}).values():
        if "oneOf" in schema and "discriminator" not in schema:
            schema["anyOf"] = schema.pop("oneOf")
    return result
