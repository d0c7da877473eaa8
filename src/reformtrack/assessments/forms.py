"""The form a supervisor opens a campaign with; targets by hand or by designation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from reformtrack.core.forms import DateInput, ModelMultipleChoiceField
from reformtrack.orgs.models import Organisation

from .models import RuleSet


class CampaignForm(forms.Form):
    rule_set = forms.ModelChoiceField(RuleSet.objects.all(), label=gettext_lazy("Rule set"))
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    code = forms.RegexField(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$", label=gettext_lazy("Code"))
    name_zh = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    organisation = forms.ModelChoiceField(Organisation.objects.none(),
                                          label=gettext_lazy("Opened by"))  # fmt: skip
    self_deadline = forms.DateField(label=gettext_lazy("Self-assessment deadline"),
                                    widget=DateInput())  # fmt: skip
    review_deadline = forms.DateField(label=gettext_lazy("Review deadline"),
                                      widget=DateInput())  # fmt: skip
    targets = ModelMultipleChoiceField(
        Organisation.objects.none(), required=False, label=gettext_lazy("Target enterprises"),
        help_text=gettext_lazy("Leave empty to choose them by the rule set's designations."),
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.visible_to(user, "manage")
        self.fields["targets"].queryset = Organisation.objects.visible_to(user, "manage").exclude(
            kind="supervisor"
        )
