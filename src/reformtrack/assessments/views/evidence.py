"""Download of an indicator's evidence file, gated by the scoping layer (others get a 404)."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.views.generic import View

from reformtrack.core.views.mixins import BusinessViewMixin

from .. import selectors
from ..models import EvidenceFile


class EvidenceDownloadView(BusinessViewMixin, View):
    """The stored file, as an attachment under its original name; never rendered inline."""

    model = EvidenceFile  # read by the permission matrix; the object comes from the selector

    def get(self, request, evidence_pk):
        item = selectors.evidence_file(request.user, evidence_pk)
        try:
            handle = item.file.open("rb")
        except FileNotFoundError:
            raise Http404(_("The file is missing from the store.")) from None
        response = FileResponse(
            handle, as_attachment=True, filename=item.original_name,
            content_type=item.content_type or "application/octet-stream",
        )  # fmt: skip
        response["X-Content-Type-Options"] = "nosniff"
        return response
