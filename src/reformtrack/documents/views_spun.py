"""The review page of learned spinner swaps: each proposal with its counts and the documents
it was learned from; accept or reject (scoped like the documents, versioned)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from reformtrack.core.scoping import Action, can
from reformtrack.core.views.mixins import BusinessViewMixin

from . import spun_learning
from .models import LearnedSubstitution

REVIEW_PAGE = 200  # proposals a page shows, most often seen first
ORDINARY_SHARE = 5  # a spun form clean prose writes at least a fifth as often is ordinary


class SpunReviewView(BusinessViewMixin, TemplateView):
    template_name = "documents/spun_review.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        rows = LearnedSubstitution.objects.visible_to(user, Action.VIEW).select_related("owner")
        rows = list(rows.order_by("status", "-count", "spun")[:REVIEW_PAGE])
        model, _swaps = spun_learning.current()
        for row in rows:
            row.may_decide = can(user, Action.CHANGE, row)
            # how often clean prose writes each form: a spun form that is an ordinary word
            # there (公司 beside 企业) is undone where the context cannot tell, so some
            # original uses are changed too; the reviewer sees it before accepting
            row.library_spun = model.word_count(row.spun)
            row.library_original = model.word_count(row.original)
            row.ordinary = row.library_spun * ORDINARY_SHARE >= max(1, row.library_original)
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
