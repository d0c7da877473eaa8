from django import forms
from django.utils.translation import gettext_lazy as _


class ChainImportForm(forms.Form):
    file = forms.FileField(
        label=_("Chain file (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )
    dry_run = forms.BooleanField(
        label=_("Check only: validate and count, write nothing"), required=False
    )
