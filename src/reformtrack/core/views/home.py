"""The start page and the inbox."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import TemplateView

from ..page_cache import cached_page
from ..selectors.header import header_counts
from ..selectors.inbox import (
    approvals_blocked_for,
    approvals_waiting_for,
    my_submissions,
    notifications_for,
)
from ..services.notifications import mark_read


@method_decorator(cached_page, name="dispatch")
class HomeView(LoginRequiredMixin, TemplateView):
    """Welcome, what waits for the user (approvals, overdue tasks) and their organisations."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        counts = header_counts(self.request.user)  # the header's query serves the page too
        return super().get_context_data(waiting=counts.waiting, blocked=counts.blocked, **kwargs)


@method_decorator(cached_page, name="dispatch")
class InboxView(LoginRequiredMixin, TemplateView):
    template_name = "core/inbox.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        business = not user.is_administrator
        return super().get_context_data(
            waiting=approvals_waiting_for(user)[:200] if business else [],
            blocked=approvals_blocked_for(user)[:100] if business else [],
            submitted=my_submissions(user)[:50] if business else [],
            notifications=notifications_for(user)[:100],
            **kwargs,
        )


class MarkReadView(LoginRequiredMixin, View):
    def post(self, request):
        mark_read(user=request.user)
        return redirect("core:inbox")
