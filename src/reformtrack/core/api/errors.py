"""API errors are JSON, always: service errors become 400/403 with their reason, anything
unexpected a logged 500 `{"detail": …}` (never Django's HTML page), and /api/ 404s/500s raised
outside a view (URL resolution, middleware) answer in JSON too."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

logger = logging.getLogger("reformtrack.api")


def exception_handler(exc, context):
    """DRF's handler, taught the ValidationError and PermissionDenied that services raise, and
    a JSON 500 for everything else (the traceback goes to the log, not to the client)."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is not None:
        return response
    request = context.get("request")
    logger.error(
        "API error on %s %s",
        getattr(request, "method", "?"),
        getattr(request, "path", "?"),
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    set_rollback()
    return Response({"detail": _("Server error. It has been logged.")}, status=500)


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    """handler404: JSON under /api/, the product's page elsewhere."""
    if is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """handler500: JSON under /api/, the product's page elsewhere."""
    if is_api(request):
        return JsonResponse({"detail": _("Server error. It has been logged.")}, status=500)
    return defaults.server_error(request)


ERROR_SCHEMA = {
    "description": "An error: `detail` says why; a 400 names each field with its messages, or "
    "lists the messages that concern no single field.",
    "oneOf": [
        {
            "type": "object",
            "properties": {"detail": {"type": "string"}},
            "additionalProperties": True,
        },
        {"type": "array", "items": {"type": "string"}},
    ],
}
ERRORS_EVERYWHERE = {
    "400": "The request is invalid: the body names each field and what is wrong with it.",
    "401": "Not signed in.",
    "403": "Signed in, but this action is not permitted.",
    "404": "No such object, or not one you may see.",
}
ERRORS_ON_WRITES = {
    "409": "The object's state does not allow this action now.",
    "412": "Stale: the object changed since it was read (If-Match / version).",
    "428": "The version read is required (If-Match header or a version field).",
}


def document_errors(result, generator, request, public):
    """drf-spectacular post-processing hook: every operation documents the JSON errors it can
    answer with, so clients (and schemathesis) find each status code in the schema."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            errors = dict(ERRORS_EVERYWHERE)
            if method in ("post", "put", "patch", "delete"):
                errors.update(ERRORS_ON_WRITES)
            for code, description in errors.items():
                operation["responses"].setdefault(
                    code, {"description": description, "content": content}
                )
    return result
