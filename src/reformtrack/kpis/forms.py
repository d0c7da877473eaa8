"""Forms of the KPI pages: a statement (one field per statement line), targets, the import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from reformtrack.core.i18n import localized

from .choices import Basis, Comparison
from .models import StatementLine
from .units import PERIODS, UNITS, period_label, unit_label


class StatementForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    period = forms.ChoiceField(
        label=_("Period (year to date)"),
        help_text=_("A quarter or a month is entered as the figures from January to its end."),
    )  # fmt: skip
    basis = forms.ChoiceField(label=_("Statement basis"), choices=Basis.choices)
    unit = forms.ChoiceField(
        label=_("Unit of the amounts"), choices=[(u, u) for u in UNITS],
        help_text=_("Amounts are stored in yuan; employees are counted in people."),
    )  # fmt: skip
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
    # The versions of the statements the page showed (core/forms_versioning.py).
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p, period_label(p)) for p in PERIODS]
        self.fields["unit"].choices = [(u, unit_label(u)) for u in UNITS]  # reader's language
        self.line_codes = []
        for line in StatementLine.objects.all():
            self.fields[f"line_{line.code}"] = forms.DecimalField(
                label=line.name, required=False, max_digits=22, decimal_places=4
            )
            self.line_codes.append(line.code)

    def lines(self) -> dict:
        data = self.cleaned_data
        return {c: data[f"line_{c}"] for c in self.line_codes if data.get(f"line_{c}") is not None}


class TargetForm(forms.Form):
    code = forms.ChoiceField(label=pgettext_lazy("kpis", "Indicator"))
    comparison = forms.ChoiceField(label=_("Comparison"), choices=Comparison.choices)
    value = forms.DecimalField(label=_("Target"), max_digits=22, decimal_places=4)
    band = forms.DecimalField(label=_("Band (±)"), required=False, max_digits=10, decimal_places=4)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [
            (i.code, f"{i.name} ({unit_label(i.unit)})") for i in indicators
        ]


class DeriveForm(forms.Form):
    shape = forms.ChoiceField(label=_("Target shape"))

    def __init__(self, *args, shapes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shape"].choices = [
            (s["code"], localized(s["name_zh"], s.get("name_en", ""))) for s in shapes
        ]


class StatementImportForm(forms.Form):
    file = forms.FileField(
        label=_("Statement file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    dry_run = forms.BooleanField(
        label=_("Check only: validate and count, write nothing"), required=False
    )


def statement_key(year, period, basis) -> str:
    """The natural key of a statement in a form's `seen` versions."""
    return f"{year}|{period}|{basis}"
