"""Placeholder: being written."""

from django.views.generic import View


class LedgerExportView(View):
    pass


class LedgerTemplateView(View):
    pass


class LedgerImportView(View):
    pass
