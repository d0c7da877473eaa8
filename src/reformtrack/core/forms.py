"""Forms of the shared pages: second factor, approval decisions, audit filters."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """The browser's date picker: its value is always ISO (yyyy-mm-dd), whatever the language
    (Chinese dates as 2020/04/01 left the picker empty, and a required date unsaveable)."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 (Django's own name)
        super().__init__(attrs, format=format)


LARGEST_ID = 2**63 - 1  # a database integer key holds no more


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing an id no key can hold as an invalid choice: its `__in` lookup sends
    such a number to the database, where SQLite fails (a 500 on 99999999999999999999)."""

    def _check_values(self, value):
        for pk in value or ():
            try:
                too_large = abs(int(str(pk))) > LARGEST_ID
            except ValueError:
                continue  # not a number: Django's own check names it
            if too_large:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                    params={"pk": pk},
                )  # fmt: skip
        return super()._check_values(value)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Verification code"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class DecisionForm(forms.Form):
    """One decision on one approval; `level` and `version` say which state of it the decider
    saw, so a decision on a request that moved on is refused, not applied to the next level."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("return", _("Return"))],
        widget=forms.RadioSelect,
    )
    return_to = forms.ChoiceField(label=_("Return to"), required=False)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Required when returning: say what should change."),
    )
    level = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, approval=None, earlier=(), **kwargs):
        """`earlier`: (level index, organisation) of the levels a return may go back to."""
        initial = kwargs.setdefault("initial", {})
        if approval is not None:
            initial.setdefault("level", approval.current_level)
            initial.setdefault("version", approval.version)
        super().__init__(*args, **kwargs)
        self.fields["return_to"].choices = [("", _("the submitter"))] + [
            (str(index), _("level %(n)s: %(org)s") % {"n": index + 1, "org": org})
            for index, org in earlier
        ]

    def clean_return_to(self):
        value = self.cleaned_data.get("return_to")
        return int(value) if value not in (None, "") else None


class BatchDecisionForm(forms.Form):
    """The same decision on several approvals ticked in the inbox (each ticked "id:version")."""

    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("return", _("Return"))])
    comment = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args, ticked=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.ticked = list(ticked)[:100]

    def clean(self):
        data = super().clean()
        items = []
        for value in self.ticked:
            pk, _sep, version = str(value).partition(":")
            if pk.isdigit():
                items.append((int(pk), int(version) if version.isdigit() else None))
        if not items:
            raise forms.ValidationError(_("Tick at least one approval."))
        data["items"] = items
        if data.get("decision") == "return" and not data.get("comment", "").strip():
            self.add_error("comment", _("Say why the items are returned."))
        return data


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea({"rows": 3})
    )
