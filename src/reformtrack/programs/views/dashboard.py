"""Placeholder: being written."""

from django.views.generic import View


class DashboardView(View):
    pass
