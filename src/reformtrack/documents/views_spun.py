"""The review page of learned spinner swaps: each proposal with its counts and the documents
it was learned from; accept or reject (scoped like the documents, versioned)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from reformtrack.core.views.mixins import BusinessViewMixin

from . import selectors, spun_learning
from .models import LearnedSubstitution

REVIEW_PAGE = 200  # proposals a page shows, most often seen first


class SpunReviewView(BusinessViewMixin, TemplateView):
    template_name = "documents/spun_review.html"

    def get_context_data(self, **kwargs):
        rows = selectors.spun_proposals(self.request.user, limit=REVIEW_PAGE)
        return super().get_context_data(rows=rows, **kwargs)


class SpunDecideView(BusinessViewMixin, View):
    model = LearnedSubstitution

    def get(self, request, pk: int):
        """Deciding is a POST; a proposal out of the user's scope is a 404 all the same."""
        get_object_or_404(LearnedSubstitution.objects.visible_to(request.user), pk=pk)
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, pk: int):
        row = get_object_or_404(LearnedSubstitution.objects.visible_to(request.user), pk=pk)
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        try:
            status = request.POST.get("status", "")
            spun_learning.decide(user=request.user, substitution=row, status=status,
                                 version=version)  # fmt: skip
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        except PermissionDenied:
            messages.error(request, _("You may not review this substitution."))
        else:
            messages.success(request, _("Decision saved."))
        return redirect("documents:spun-review")
