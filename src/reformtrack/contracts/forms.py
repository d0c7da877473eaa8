"""Forms of the contracts pages: the roster import and actual values entered with evidence."""

from django import forms
from django.utils.translation import gettext_lazy as _


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )
    dry_run = forms.BooleanField(
        label=_("Check only: validate and count, write nothing"), required=False
    )
