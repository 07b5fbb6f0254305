"""Public verification API: GET /api/v1/verify/<code>/ and POST /api/v1/verify/ (a PDF,
matched by its SHA-256). No personal data (CONTRACT.md section 7, "After the result")."""

import hashlib

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config.exceptions import PayloadTooLarge
from workflow.api_serializers import ErrorOutput

from .selectors import document_by_code, document_by_sha256, public_verification
from .throttles import VerifyThrottle

MAX_CHECK_BYTES = 20 * 1024 * 1024


class VerifyDocumentSerializer(serializers.Serializer):
    title = serializers.CharField()
    letter_number = serializers.CharField(allow_null=True)
    kind = serializers.CharField(help_text="letter (generated, signed) or upload")
    signed = serializers.BooleanField()
    signer_title = serializers.CharField(allow_null=True)


class VerifyOfficeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class VerifyOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    valid = serializers.BooleanField()
    status = serializers.CharField(help_text="valid or revoked")
    document = VerifyDocumentSerializer()
    office = VerifyOfficeSerializer()
    issued_at = serializers.DateTimeField()
    sha256 = serializers.CharField()
    revoked_at = serializers.DateTimeField(allow_null=True)


# The one error shape of the API (`{"detail"}` or errors by field, CONTRACT.md).
_ERROR = ErrorOutput


class VerifyApi(APIView):
    """Is a result document genuine? By the code printed under its QR code."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [VerifyThrottle]

    @extend_schema(
        responses={200: VerifyOutputSerializer, 404: _ERROR, 429: _ERROR},
        summary="Verify a result document by its code",
    )
    def get(self, request, code):
        document = document_by_code(code)
        if document is None:
            raise NotFound(_("No document has this verification code."))
        return Response(VerifyOutputSerializer(public_verification(document)).data)


def sha256_of_upload(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


class VerifyFileApi(APIView):
    """Which issued document is this file? Multipart `file`: matched by its SHA-256, so a
    changed byte matches nothing."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [VerifyThrottle]
    parser_classes = [MultiPartParser]

    @extend_schema(
        request=inline_serializer("VerifyFileInput", {"file": serializers.FileField()}),
        responses={200: VerifyOutputSerializer, 400: _ERROR, 404: _ERROR, 413: _ERROR},
        summary="Find the issued document a PDF file is",
    )
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise ParseError(_("Send the document as a file part named 'file'."))
        if upload.size > MAX_CHECK_BYTES:
            raise PayloadTooLarge(_("The file is too large."))
        document = document_by_sha256(sha256_of_upload(upload))
        if document is None:
            raise NotFound(_("This file is not a document issued through Alur, or it was changed."))
        return Response(VerifyOutputSerializer(public_verification(document)).data)
