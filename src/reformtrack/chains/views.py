"""Pages: chains list, a chain's map (SVG graph, table, resilience), Excel export and import,
the three-firsts channel page (benchmarks: orgs). Thin: selectors and services do the work;
every object comes through the scoping layer."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.generic import DetailView, View

from reformtrack.core.exporters import bytes_response
from reformtrack.core.scoping import Action, granted_paths
from reformtrack.core.views.imports import ExcelImportView
from reformtrack.core.views.mixins import BusinessViewMixin, ScopedViewMixin

from . import selectors
from .exporters import chain_xlsx
from .forms import ChainImportForm
from .graph import chain_svg
from .importers import ChainImporter
from .models import Chain


class ChainListView(BusinessViewMixin, View):
    def get(self, request):
        chains = selectors.chains_for(request.user).prefetch_related("links")
        may_change = bool(granted_paths(request.user, Action.CHANGE))
        return render(request, "chains/list.html", {"chains": chains, "may_change": may_change})


class ChainDetailView(ScopedViewMixin, DetailView):
    model = Chain
    template_name = "chains/detail.html"
    context_object_name = "chain"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cmap = selectors.chain_map(self.object)
        year = timezone.now().year
        context.update(
            cmap=cmap, svg=chain_svg(cmap), summary=selectors.resilience_summary(self.object, year)
        )
        return context


class ChainExportView(ScopedViewMixin, DetailView):
    model = Chain

    def get(self, request, *args, **kwargs):
        chain = self.get_object()
        language = "en" if (get_language() or "").startswith("en") else "zh"
        return bytes_response(f"chain-{chain.code}.xlsx", chain_xlsx(chain, language))


class ChainImportView(ExcelImportView):
    template_name = "chains/import.html"
    form_class = ChainImportForm
    importer_class = ChainImporter


class FirstsView(BusinessViewMixin, View):
    def get(self, request):
        return render(request, "chains/firsts.html", selectors.firsts_summary(request.user))
