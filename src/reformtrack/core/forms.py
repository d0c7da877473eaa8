"""Forms of the shared pages: second factor, approval decisions, audit filters."""

from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Verification code"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("return", _("Return"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea({"rows": 3})
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea({"rows": 3})
    )
