"""Pages of the weekly brief: build a draft, edit its entries, publish (archive), download."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import DetailView, TemplateView, View

from reformtrack.core.forms import DateInput
from reformtrack.core.scoping import Action, granted_paths
from reformtrack.core.views.mixins import BusinessViewMixin, ScopedViewMixin

from . import briefs
from .models import Brief, BriefLanguage, BriefStatus
from .ownership import may

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class BuildForm(forms.Form):
    week = forms.DateField(label=gettext_lazy("Week of"), widget=DateInput())
    organisation = forms.CharField(
        label=gettext_lazy("Organisation code"), required=False, max_length=40
    )
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=BriefLanguage.choices)


class EntryForm(forms.Form):
    """What an editor may correct in an entry before the brief is published."""

    FIELDS = ("title", "authority", "doc_number", "link", "source", "analysis", "key_facts")
    title = forms.CharField(
        label=gettext_lazy("Title"), max_length=300, widget=forms.TextInput(attrs={"class": "wide"})
    )
    authority = forms.CharField(
        label=gettext_lazy("Issuing authority"), required=False, max_length=200
    )
    doc_number = forms.CharField(
        label=gettext_lazy("Document number"), required=False, max_length=100
    )
    link = forms.URLField(
        label=gettext_lazy("Official link"), required=False, max_length=500,
        widget=forms.URLInput(attrs={"class": "wide"}),
    )  # fmt: skip
    source = forms.CharField(label=gettext_lazy("Source"), required=False, max_length=200)
    analysis = forms.CharField(
        label=gettext_lazy("Analysis"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    key_facts = forms.CharField(
        label=gettext_lazy("Key facts"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", pgettext_lazy("label suffix", ":"))  # 中文：全角冒号
        super().__init__(*args, **kwargs)


def _initial(entry) -> dict:
    """The entry's texts in its brief's script (drafts built before texts were stored so)."""
    return briefs.in_script(entry.brief, {name: getattr(entry, name) for name in EntryForm.FIELDS})


def _posted_form(post, entry) -> EntryForm:
    """The entry's form over what was posted; a field not posted keeps its stored value."""
    initial, prefix = _initial(entry), f"e{entry.pk}"
    data = {f"{prefix}-{n}": post.get(f"{prefix}-{n}", initial[n]) for n in EntryForm.FIELDS}
    return EntryForm(data, prefix=prefix, initial=initial)


class BriefListView(BusinessViewMixin, TemplateView):
    template_name = "documents/brief_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            briefs=Brief.objects.visible_to(user, Action.VIEW).select_related("owner")[:100],
            form=kwargs.pop("form", None) or BuildForm(initial={"language": "zh-Hans"}),
            may_build=bool(granted_paths(user, Action.CHANGE)),
            **kwargs,
        )

    def post(self, request):
        form = BuildForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        organisation = None
        code = form.cleaned_data["organisation"].strip().upper()
        if code:
            from reformtrack.orgs.models import Organisation

            organisation = (
                Organisation.objects.visible_to(request.user, Action.CHANGE)
                .filter(code=code)
                .first()
            )
            if organisation is None:
                form.add_error(
                    "organisation", _("No organisation %(code)s in your scope.") % {"code": code}
                )
                return self.render_to_response(self.get_context_data(form=form))
        try:
            brief = briefs.build_brief(
                user=request.user, week=form.cleaned_data["week"], organisation=organisation,
                language=form.cleaned_data["language"],
            )  # fmt: skip
        except PermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        return redirect(brief.get_absolute_url())


class BriefDetailView(ScopedViewMixin, DetailView):
    model = Brief
    template_name = "documents/brief_detail.html"
    context_object_name = "brief"

    def get_context_data(self, **kwargs):
        brief = self.object
        user = self.request.user
        draft = brief.status == BriefStatus.DRAFT
        editable = draft and may(user, Action.CHANGE, brief)  # the owner's office alone
        entries = briefs.ordered_entries(brief)  # policies first, as published
        forms_ = [(e, EntryForm(prefix=f"e{e.pk}", initial=_initial(e))) for e in entries]
        may_publish = draft and may(user, Action.APPROVE, brief)
        return super().get_context_data(
            data=briefs.context(brief),
            entry_forms=forms_ if editable else [],
            may_publish=may_publish,
            **kwargs,
        )

    def post(self, request, pk):
        brief = get_object_or_404(self.get_queryset(), pk=pk)  # not read: 404
        if not may(request.user, Action.CHANGE, brief):  # read but not the owner's office: 403
            raise PermissionDenied(_("You may not change this brief."))
        forms_ = [
            (e, _posted_form(request.POST, e))
            for e in brief.entries.all()
            if f"e{e.pk}-title" in request.POST
        ]
        problems = [
            f"{entry.title} · {form.fields[field].label}: {' '.join(errors)}"
            for entry, form in forms_
            if not form.is_valid()
            for field, errors in form.errors.items()
        ]
        if problems:  # nothing is saved while any entry is wrong
            text = _("Nothing was saved: %(problems)s") % {"problems": "; ".join(problems)}
            messages.error(request, text)
            return redirect(brief.get_absolute_url())
        try:
            with transaction.atomic():
                for entry, form in forms_:
                    if form.has_changed():
                        briefs.update_entry(user=request.user, entry=entry, **form.cleaned_data)
            messages.success(request, _("The brief was saved."))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(brief.get_absolute_url())


class BriefPublishView(ScopedViewMixin, View):
    """Publishing is for the brief owner's office: a brief not read is a 404, one read but
    owned above or beside the user a 403 that names nothing."""

    model = Brief
    scope_action = Action.APPROVE
    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_administrator
            and not granted_paths(user, self.scope_action)
        ):
            raise PermissionDenied
        if user.is_authenticated and not user.is_administrator:
            brief = get_object_or_404(Brief.objects.visible_to(user, Action.VIEW), pk=kwargs["pk"])
            if not may(user, Action.APPROVE, brief):
                raise PermissionDenied(_("You may not publish this brief."))
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, pk):
        brief = get_object_or_404(self.get_queryset(), pk=pk)
        briefs.publish(user=request.user, brief=brief)
        messages.success(request, _("The brief was published and archived."))
        return redirect(brief.get_absolute_url())


class BriefDownloadView(ScopedViewMixin, View):
    model = Brief

    def get(self, request, pk, fmt):
        brief = get_object_or_404(self.get_queryset(), pk=pk)
        if fmt not in CONTENT_TYPES:
            raise Http404
        if fmt == "html" and brief.archived_html:
            body = brief.archived_html.encode("utf-8")
        else:
            body = briefs.render(brief, fmt)
        response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
        name = f"brief-{brief.week_start:%Y%m%d}.{fmt}"
        disposition = "inline" if fmt == "html" else "attachment"
        response["Content-Disposition"] = f'{disposition}; filename="{name}"'
        if fmt == "html":
            response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
        return response
