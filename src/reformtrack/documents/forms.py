"""Forms of the documents app: search with filters, upload, promotion of a rating."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reformtrack.core.forms import DateInput

from . import page_address
from .text.readers import KINDS

MAX_UPLOAD = 20 * 1024 * 1024
LANGUAGES = [
    ("", _("any language")),
    ("zh-Hans", _("Simplified Chinese")),
    ("zh-Hant", _("Traditional Chinese")),
    ("en", _("English")),
    ("he", _("Hebrew")),
]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES, required=False)
    source = forms.CharField(label=_("Source"), required=False, max_length=100)
    organisation = forms.CharField(label=_("Organisation code"), required=False, max_length=40)
    programme = forms.CharField(label=_("Programme code"), required=False, max_length=40)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def clean_q(self):
        """At most MAX_QUERY_CHARS characters and MAX_QUERY_TERMS words (a clear refusal)."""
        from .selectors import query_terms

        query_terms(self.cleaned_data["q"])  # raises ValidationError with the reason
        return self.cleaned_data["q"]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("Plain text, HTML, Word (.docx) or PDF with a text layer.")
    )
    address = forms.CharField(  # checked as on every entry point (page_address.py)
        label=_("Page address"),
        required=False,
        help_text=_(
            "Optional: the web page the file was saved from (http:// or https://). Its date "
            "is used when the text states none."
        ),
        widget=forms.URLInput(attrs={"placeholder": "https://", "maxlength": 2000}),
    )

    def clean_address(self):
        return page_address.clean_address(self.cleaned_data["address"])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        if not any(upload.name.lower().endswith(ext) for ext in KINDS):
            raise forms.ValidationError(_("Unsupported file type."))
        return upload


class PromoteForm(forms.Form):
    campaign = forms.ModelChoiceField(label=_("Assessment campaign"), queryset=None)

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns


class FigureForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    period = forms.ChoiceField(label=_("Period (Y, Q1-Q4, M01-M12)"), choices=[])
    basis = forms.ChoiceField(
        label=_("Basis"), choices=[("consolidated", _("consolidated")), ("single", _("single"))]
    )
    line = forms.CharField(label=_("Statement line"), max_length=40)

    def __init__(self, *args, **kwargs):
        from .display import period_choices

        super().__init__(*args, **kwargs)
        self.fields["period"].choices = period_choices()


class TargetForm(forms.Form):
    programme = forms.CharField(label=_("Programme code"), max_length=40)
    area = forms.CharField(label=_("Area code"), max_length=40)
    code = forms.CharField(label=_("Task code"), max_length=40)
