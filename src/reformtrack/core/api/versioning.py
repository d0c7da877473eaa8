"""ETag / If-Match for versioned objects: reads carry the version, writes must name it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException

from ..services.versioning import StaleEdit, parse_version


class PreconditionRequired(APIException):
    status_code = 428
    default_code = "precondition_required"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


def etag(instance) -> str:
    return f'"{instance.version}"'


class VersionedViewSetMixin:
    """GET sets `ETag: "<version>"`; PUT/PATCH need `If-Match` (or `version` in the body);
    a stale one is a 412 that says who changed it and when, and nothing is saved."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        instance = getattr(self, "_versioned_instance", None)
        if instance is not None and response.status_code < 300:
            response["ETag"] = etag(instance)
        return response

    def get_object(self):
        instance = super().get_object()
        self._versioned_instance = instance
        return instance

    def expected_version(self, request) -> int:
        """The version the client read; a write without one is refused (428)."""
        data = request.data if hasattr(request.data, "get") else {}
        raw = request.headers.get("If-Match") or data.get("version")
        try:
            version = parse_version(raw)
        except ValidationError:
            message = _("If-Match must be the ETag the object was read with.")
            raise PreconditionFailed(message) from None
        if version is None:
            raise PreconditionRequired(
                _("Send the version you read (If-Match header or a version field).")
            )
        return version

    def handle_exception(self, exc):
        if isinstance(exc, StaleEdit):
            exc = PreconditionFailed(exc.messages[0])
        return super().handle_exception(exc)
