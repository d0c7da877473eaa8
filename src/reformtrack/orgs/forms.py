"""Forms of the organisation pages; saving goes through services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reformtrack.core.forms import DateInput
from reformtrack.core.models import AdminRole

from .choices import Role
from .models import Designation, DesignationKind, Organisation


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "code", "uscc", "name_zh", "name_en", "short_name_zh", "short_name_en",
            "kind", "is_active", "closed_on",
        ]  # fmt: skip
        widgets = {"closed_on": DateInput()}


class MoveForm(forms.Form):
    """`parents` is what the user may manage: codes outside it read as unknown."""

    parent_code = forms.CharField(label=_("New parent (code)"), max_length=40)

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.parents = parents

    def clean_parent_code(self):
        code = self.cleaned_data["parent_code"].strip().upper()
        parent = self.parents.filter(code=code).first()
        if parent is None:
            raise forms.ValidationError(
                _("No organisation has the code %(code)s.") % {"code": code}
            )
        return parent


class DesignationForm(forms.ModelForm):
    class Meta:
        model = Designation
        fields = ["kind", "valid_from", "valid_to", "chain", "batch", "source", "note"]
        widgets = {
            "valid_from": DateInput(),
            "valid_to": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }


class DesignationKindForm(forms.ModelForm):
    class Meta:
        model = DesignationKind
        fields = ["code", "name_zh", "name_en", "requires_chain", "description", "sort_order"]


class UserCreateForm(forms.Form):
    """The system administrator's new account: no role yet (the security administrator grants
    them); the user replaces the initial password at the first sign-in."""

    username = forms.CharField(label=_("User name"), max_length=150)
    display_name = forms.CharField(label=_("Display name"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput)


class AdminRoleForm(forms.Form):
    admin_role = forms.ChoiceField(
        label=_("Administrator role"), choices=AdminRole.choices, required=False
    )


class RoleGrantForm(forms.Form):
    organisation_code = forms.CharField(label=_("Organisation (code)"), max_length=40)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def clean_organisation_code(self):
        code = self.cleaned_data["organisation_code"].strip().upper()
        org = Organisation.objects.filter(code=code).first()
        if org is None:
            raise forms.ValidationError(
                _("No organisation has the code %(code)s.") % {"code": code}
            )
        return org


class ResetDecisionForm(forms.Form):
    reset = forms.IntegerField()
    action = forms.ChoiceField(
        choices=[("confirm", _("Confirm")), ("cancel", _("Cancel")), ("carry_out", _("Carry out"))]
    )


class UserStateForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("activate", _("Activate")),
            ("deactivate", _("Deactivate")),
            ("unlock", _("Unlock")),
            ("reset_otp", _("Reset second factor")),
        ]
    )
