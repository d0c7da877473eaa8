"""Forms of the programme and ledger pages; saving goes through services."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reformtrack.core.forms import DateInput
from reformtrack.core.forms_versioning import VersionedFormMixin
from reformtrack.core.upload_fields import MultipleFileField
from reformtrack.orgs.models import DesignationKind

from .choices import TaskKind, TaskStatus
from .models import LedgerTask, ProgressReport
from .periods import period_end_of, period_label
from .services.tasks import PLAN_FIELDS, PROGRESS_FIELDS

DATE = DateInput()


class LibraryUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Library file (YAML)"),
        help_text=_("A programme library in UTF-8 YAML; it is refused whole if anything is wrong."),
    )


class LaunchForm(forms.Form):
    """Launch to one organisation, or to every organisation holding a designation."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=None, required=False, empty_label="—"
    )
    designation = forms.ModelChoiceField(
        label=_("Or every organisation with the designation"),
        queryset=DesignationKind.objects.all(),
        to_field_name="code",
        required=False,
        empty_label="—",
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean(self):
        data = super().clean()
        if bool(data.get("organisation")) == bool(data.get("designation")):
            raise forms.ValidationError(_("Choose an organisation or a designation (not both)."))
        return data


class TaskForm(VersionedFormMixin, forms.ModelForm):
    """What a row says; the plan fields only for whoever launched the programme (shown, not
    editable, to others); progress fields only where the programme allows direct entry."""

    class Meta:
        model = LedgerTask
        fields = [
            "title", "area", "measure", "department", "owner", "deadline", "deliverable",
            "is_main", "weight", "status", "percent", "progress", "indicator_target",
            "indicator_actual",
        ]  # fmt: skip
        widgets = {
            "deadline": DATE,
            "measure": forms.Textarea(attrs={"rows": 3}),
            "progress": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"area": _("Area")}  # the model field has no translated name

    def __init__(self, *args, may_change_plan: bool, direct_entry: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = self.instance.programme.areas.all()
        if self.instance.kind != TaskKind.INDICATOR:
            del self.fields["indicator_target"]
            del self.fields["indicator_actual"]
        if not direct_entry:
            for name in PROGRESS_FIELDS:
                self.fields.pop(name, None)
        if not may_change_plan:
            for name in PLAN_FIELDS:
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "Set by the organisation that launched the programme: request a change."
                    )


class PlanChangeForm(VersionedFormMixin, forms.Form):
    """An enterprise asks for another deadline, weight, main-task flag or responsible person;
    empty fields stay as they are."""

    deadline = forms.DateField(label=_("Deadline"), widget=DATE, required=False)
    weight = forms.DecimalField(
        label=_("Weight"), max_digits=8, decimal_places=2, min_value=0, required=False
    )
    is_main = forms.TypedChoiceField(
        label=_("Main task"),
        choices=[("", "—"), ("1", _("Yes")), ("0", _("No"))],
        coerce=lambda value: value == "1",
        empty_value=None,
        required=False,
    )
    owner = forms.CharField(label=_("Responsible person"), max_length=100, required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))

    def clean(self):
        data = super().clean()
        if all(data.get(name) in (None, "") for name in ("deadline", "weight", "is_main", "owner")):
            raise forms.ValidationError(_("Ask for at least one change of the plan."))
        return data


class MeasureForm(VersionedFormMixin, forms.Form):
    """A measure (具体举措) refining a task, assigned to an organisation of its subtree."""

    code = forms.CharField(label=_("Task code"), max_length=60)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    title = forms.CharField(
        label=_("Task"), max_length=300, required=False, help_text=_("Empty: the task's title.")
    )
    measure = forms.CharField(
        label=_("Measure"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    department = forms.CharField(label=_("Department"), max_length=100, required=False)
    owner = forms.CharField(label=_("Responsible person"), max_length=100, required=False)
    deadline = forms.DateField(
        label=_("Deadline"), widget=DATE, required=False, help_text=_("Empty: the task's deadline.")
    )
    deliverable = forms.CharField(label=_("Deliverable"), max_length=300, required=False)
    weight = forms.DecimalField(
        label=_("Weight"), max_digits=8, decimal_places=2, min_value=0, initial=1
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


def period_choices(programme, today: dt.date | None = None) -> list[tuple[str, str]]:
    """The programme's reporting periods up to the current one (or its end), newest first."""
    today = today or timezone.localdate()
    first = period_end_of(programme.reporting, programme.period_start)
    last = period_end_of(programme.reporting, max(today, programme.period_end))
    current = period_end_of(programme.reporting, today)
    choices, end = [], first
    while end <= last:
        choices.append((end.isoformat(), period_label(programme.reporting, end)))
        end = period_end_of(programme.reporting, end + dt.timedelta(days=1))
    if current < first:
        choices.insert(0, (current.isoformat(), period_label(programme.reporting, current)))
    return list(reversed(choices))


class ReportForm(VersionedFormMixin, forms.ModelForm):
    """A period's progress of a task; the task's figures change once the report counts. The
    hidden version is empty when no report of the period existed when the form was opened."""

    period = forms.TypedChoiceField(label=_("Period"), coerce=dt.date.fromisoformat)
    evidence = MultipleFileField(
        label=_("Evidence files"),
        required=False,
        help_text=_("PDF, OFD, Word, Excel, WPS, PNG or JPEG; several files at once."),
    )

    class Meta:
        model = ProgressReport
        fields = ["status", "percent", "narrative", "indicator_actual"]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = period_choices(task.programme)
        self.fields["status"].choices = TaskStatus.choices
        self.order_fields(
            ["period", "status", "percent", "narrative", "indicator_actual", "evidence"]
        )
        if task.kind != TaskKind.INDICATOR:
            del self.fields["indicator_actual"]
        else:
            unit = task.indicator_unit
            target = task.indicator_target
            self.fields["indicator_actual"].help_text = _("Target: %(target)s %(unit)s") % {
                "target": "—" if target is None else target.normalize(),
                "unit": unit,
            }

    def _post_clean(self):
        """The report service validates the report it saves (its task, its period)."""


class EvidenceForm(forms.Form):
    file = MultipleFileField(
        label=_("Files"),
        help_text=_("PDF, OFD, Word, Excel, WPS, PNG or JPEG; several files at once."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_(
            "The same title as an existing piece of evidence adds a new version of it "
            "(one file only; several files are each titled by their name)."
        ),
    )
