"""Pages: search and upload, one document (text with highlighted items, spun repairs beside
the original), review and promotion of items. Thin: the work is in services and selectors."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, TemplateView, View

from reformtrack.core.page_cache import cached_page
from reformtrack.core.scoping import Action, granted_paths
from reformtrack.core.tables import FILTER_RENDERER, TableViewMixin
from reformtrack.core.views.mixins import BusinessViewMixin, ScopedViewMixin

from . import display, selectors, services, spun_learning
from .forms import FigureForm, PromoteForm, SearchForm, TargetForm, UploadForm
from .highlight import highlighted
from .models import Document, Extraction, ItemKind, Review
from .tables import DocumentTable

DOCUMENTS_PAGE = 50  # documents a list page shows
# What the list never shows: full texts, search tokens, repairs and copy-finding data (most of
# a row's bytes, and its JSON decoded for every row of the page).
LIST_DEFERS = (
    "original_text", "text", "search_text", "tokens", "links", "changes", "repairs", "minhash",
    "keys", "analysis",
)  # fmt: skip


class ActionRequiredMixin:
    """The action is checked on the user's grants (403), then the object named by `pk` among
    those the user may act on (404 for another group's), whatever the method."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not user.is_administrator:
            if not granted_paths(user, self.scope_action):
                raise PermissionDenied
            if "pk" in kwargs:
                get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


@method_decorator(cached_page, name="dispatch")
class DocumentListView(BusinessViewMixin, TableViewMixin, TemplateView):
    """Search results on the shared table mechanism: page size, sort, columns, saved views
    and export what I see; the search form is the table's filter."""

    template_name = "documents/list.html"
    table_key = "documents.list"
    table_class = DocumentTable
    default_per_page = DOCUMENTS_PAGE
    export_name = "documents"
    export_title = gettext_lazy("Policies and news")

    def get(self, request, *args, **kwargs):
        """A search the form refuses (too long, a bad date) is a 400 naming the reason."""
        form = SearchForm(request.GET or None)
        if form.is_bound and not form.is_valid() and request.GET.get("export"):
            return HttpResponseBadRequest("; ".join(m for e in form.errors.values() for m in e))
        response = super().get(request, *args, **kwargs)
        if form.is_bound and not form.is_valid():
            response.status_code = 400
        return response

    def filter_table_rows(self, rows):
        form = SearchForm(self.request.GET or None)
        form.renderer = FILTER_RENDERER  # the same HTML, written in Python
        if form.is_bound and not form.is_valid():
            return SimpleNamespace(form=form), rows.none()
        filters = form.cleaned_data if form.is_bound else {}
        documents = selectors.search(
            user=self.request.user,
            query=filters.get("q", ""),
            language=filters.get("language", ""),
            source=filters.get("source", ""),
            organisation=filters.get("organisation", ""),
            programme=filters.get("programme", ""),
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
        ).select_related("cluster")
        return SimpleNamespace(form=form), documents.defer(*LIST_DEFERS)

    def get_table_rows(self):
        return Document.objects.none()  # filter_table_rows searches in the user's scope

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            may_upload=bool(granted_paths(self.request.user, Action.REPORT)),
            upload_form=fast_rendered(UploadForm()),
            **kwargs,
        )
        documents = list(context["table"].paginated_rows.data)  # the page, read once
        sizes = selectors.cluster_sizes(documents, user=self.request.user)
        for d in documents:  # "best copy" means something only among several copies
            d.best_of_several = (
                d.cluster_id and d.cluster.best_id == d.pk and sizes[d.cluster_id] > 1
            )
        context["form"] = context["filter"].form
        return context


def fast_rendered(form):
    form.renderer = FILTER_RENDERER
    return form


class DocumentUploadView(BusinessViewMixin, ActionRequiredMixin, FormView):
    scope_action = Action.REPORT
    template_name = "documents/upload.html"
    form_class = UploadForm

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            document, created = services.ingest(
                user=self.request.user,
                data=upload.read(),
                filename=upload.name,
                address=form.cleaned_data["address"],
            )
        except ValidationError as exc:
            for field, errors in getattr(exc, "message_dict", {"file": exc.messages}).items():
                form.add_error(field if field in form.fields else None, errors[0])
            return self.form_invalid(form)
        if not created:
            messages.info(self.request, _("This file was ingested before."))
        return redirect(document.get_absolute_url())


@method_decorator(cached_page, name="dispatch")
class DocumentDetailView(ScopedViewMixin, DetailView):
    model = Document
    template_name = "documents/document_detail.html"
    context_object_name = "document"

    def get_context_data(self, **kwargs):
        document = self.object
        items = display.describe(
            list(selectors.items_of(user=self.request.user, document=document))
        )
        user = self.request.user
        cluster = selectors.copies_of(user=user, document=document)
        return super().get_context_data(
            segments=highlighted(document.text, items),
            repairs=spun_learning.shown_repairs(user=user, document=document),
            entities=[i for i in items if i.kind in ("organisation", "programme", "person")],
            facts=[i for i in items if i.kind not in ("organisation", "programme", "person")],
            may_review=bool(granted_paths(user, Action.CHANGE)),
            may_promote=bool(granted_paths(user, Action.APPROVE)),
            campaigns=selectors.campaigns_for(user=user),
            cluster_documents=cluster,
            spun_percent=round(document.spun_confidence * 100),
            periods=display.period_choices(),
            statement_lines=selectors.statement_lines(user=user),
            **kwargs,
        )


class ItemReviewView(ScopedViewMixin, ActionRequiredMixin, View):
    """POST accept=1|0: a reviewer's decision on one extracted item."""

    model = Extraction
    scope_action = Action.CHANGE
    http_method_names = ["post"]

    def post(self, request, pk):
        item = get_object_or_404(self.get_queryset(), pk=pk)
        accept = request.POST.get("accept") == "1"
        try:
            services.review(user=request.user, item=item, accept=accept)
            text = _("Accepted: %(item)s.") if accept else _("Rejected: %(item)s.")
            messages.success(request, text % {"item": item.text[:60]})
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        return redirect(item.document.get_absolute_url() + f"#item-{item.pk}")


class ItemPromoteView(ScopedViewMixin, ActionRequiredMixin, View):
    """POST: an accepted rating into a campaign (campaign=ID), a money figure into a KPI
    statement (organisation, year, period, basis, line) or a target onto a programme's ledger
    (programme, area, organisation, code)."""

    model = Extraction
    scope_action = Action.APPROVE
    http_method_names = ["post"]

    def post(self, request, pk):
        item = get_object_or_404(self.get_queryset(), pk=pk, review=Review.ACCEPTED)
        try:
            self.promote(request, item)
            messages.success(request, _("The fact was promoted."))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(item.document.get_absolute_url() + f"#item-{item.pk}")

    def promote(self, request, item):
        user, data = request.user, request.POST
        if item.kind == ItemKind.RATING:
            form = PromoteForm(data, campaigns=selectors.campaigns_for(user=user))
            if not form.is_valid():
                raise ValidationError(_("Choose an assessment campaign."))
            services.promote_rating(user=user, item=item, campaign=form.cleaned_data["campaign"])
            return
        organisation = selectors.organisation(user=user, code=data.get("organisation", ""))
        if item.kind == ItemKind.MONEY:
            form = FigureForm(data)
            if not form.is_valid():
                raise ValidationError(_("Give the year, period, basis and statement line."))
            services.promote_figure(user=user, item=item, organisation=organisation,
                                    **form.cleaned_data)  # fmt: skip
        elif item.kind == ItemKind.TARGET:
            form = TargetForm(data)
            if not form.is_valid():
                raise ValidationError(_("Give the programme, area and task code."))
            programme, area = selectors.programme_area(
                programme=form.cleaned_data["programme"], area=form.cleaned_data["area"]
            )
            services.promote_target(
                user=user,
                item=item,
                programme=programme,
                area=area,
                organisation=organisation,
                code=form.cleaned_data["code"],
            )
        else:
            raise ValidationError(_("This kind of fact cannot be promoted."))
