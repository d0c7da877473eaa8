"""Forms of the contracts pages: the roster import, a manager, a tenure, an incentive plan,
staff figures, and the indicator rows of an annual contract."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from reformtrack.core.templatetags.amounts import MONEY_UNIT, label_with_unit

from .choices import LeaveReason, PlanKind, Selection


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )
    dry_run = forms.BooleanField(
        label=_("Check only: validate and count, write nothing"), required=False
    )


class MemberForm(forms.Form):
    """A manager of the register; the version read travels with it (a stale save is refused)."""

    name = forms.CharField(label=_("Name"), max_length=100)
    post = forms.CharField(label=_("Post"), max_length=100)
    appointed_on = forms.DateField(label=_("Appointment date"))
    selection = forms.ChoiceField(label=_("Selection"), choices=Selection.choices)
    tenure_start = forms.DateField(label=_("Tenure start"))
    tenure_end = forms.DateField(label=_("Tenure end"))
    is_active = forms.BooleanField(label=_("In post"), required=False, initial=True)
    left_on = forms.DateField(label=_("Left the post on"), required=False)
    leave_reason = forms.ChoiceField(
        label=_("Why the post was left"), required=False,
        choices=[("", "—"), *LeaveReason.choices],
    )  # fmt: skip
    leave_note = forms.CharField(label=_("Note on leaving"), max_length=300, required=False)
    account = forms.CharField(
        label=_("User account of the manager (user name)"), max_length=150, required=False,
        help_text=_("The manager then reads their own record, and nothing of others'."),
    )  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_account(self):
        name = self.cleaned_data["account"].strip()
        if not name:
            return None
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active user has this name."))
        return user


class TenureForm(forms.Form):
    start = forms.DateField(label=_("Start"))
    end = forms.DateField(label=_("End"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def in_yuan(label):
    """A money field's label with its unit (实际兑现（元）, Paid (yuan)); the input takes a plain
    number in 元, as stored."""
    return label_with_unit(label, MONEY_UNIT)


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanKind.choices)
    name = forms.CharField(label=_("Plan"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    participants = forms.IntegerField(label=_("Participants"), min_value=0)
    conditions = forms.CharField(
        label=_("Vesting or payout conditions"), required=False, widget=forms.Textarea
    )
    base_amount = forms.DecimalField(label=in_yuan(_("Cap base")), max_digits=20, decimal_places=2)
    allowed = forms.DecimalField(
        label=in_yuan(_("Allowed by the conditions")), max_digits=20, decimal_places=2, min_value=0
    )
    paid = forms.DecimalField(
        label=in_yuan(_("Paid")), max_digits=20, decimal_places=2, min_value=0
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class WorkforceForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    headcount = forms.IntegerField(label=_("Average headcount"), min_value=0)
    market_exits = forms.IntegerField(label=_("Market-based exits of staff"), min_value=0)
    hires = forms.IntegerField(label=_("New hires"), min_value=0)
    open_hires = forms.IntegerField(label=_("New hires recruited openly"), min_value=0)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


INDICATOR_FIELDS = ("code", "name", "source", "kpi_code", "task", "weight", "baseline", "target",
                    "challenge", "rule", "is_key")  # fmt: skip
BLANK_ROWS = 3


def indicator_rows(contract=None, posted=None) -> list[dict]:
    """The rows an edit page shows: what was posted (a refused save keeps what was typed), or
    the contract's indicators, and a few blank ones."""
    rows = []
    if posted:
        numbers = sorted(
            {
                int(k.split("-")[1])
                for k in posted
                if k.startswith("ind-") and k.split("-")[1].isdigit()
            }
        )
        rows = [
            {name: posted.get(f"ind-{n}-{name}", "") for name in INDICATOR_FIELDS}
            for n in numbers
            if posted.get(f"ind-{n}-code", "").strip()
        ]
    elif contract is not None:
        for i in contract.indicators.select_related("task"):
            rows.append(
                {name: getattr(i, name) for name in INDICATOR_FIELDS if name != "task"}
                | {"task": i.task.code if i.task else ""}
            )
    return rows + [{"source": "free", "rule": "LINEAR"} for _ in range(BLANK_ROWS)]


def _decimal(raw: str, where: str, required: bool = False):
    raw = (raw or "").strip().replace(",", "")
    if not raw:
        if required:
            raise forms.ValidationError(_("%(where)s: a value is required.") % {"where": where})
        return None
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise forms.ValidationError(
            _("%(where)s: %(value)s is not a number.") % {"where": where, "value": raw}
        ) from None


def parse_indicators(data, organisation) -> list[dict]:
    """Indicator rows posted as `ind-N-field` (a row without a code is skipped); a bad number or
    an unknown task names its row. Raises ValidationError listing every problem."""
    from reformtrack.programs.models import LedgerTask

    found, errors = [], []
    numbers = sorted(
        {int(k.split("-")[1]) for k in data if k.startswith("ind-") and k.split("-")[1].isdigit()}
    )
    for n in numbers:
        get = lambda name, n=n: (data.get(f"ind-{n}-{name}") or "").strip()  # noqa: E731
        if not get("code"):
            continue
        where = _("Indicator %(n)s (%(code)s)") % {"n": n + 1, "code": get("code")}
        try:
            item = {
                "code": get("code")[:40], "name": get("name")[:200] or get("code"),
                "source": get("source") or "free", "kpi_code": get("kpi_code").upper()[:40],
                "weight": _decimal(get("weight"), where) or Decimal(0),
                "baseline": _decimal(get("baseline"), where),
                "target": _decimal(get("target"), where, required=True),
                "challenge": _decimal(get("challenge"), where),
                "rule": get("rule").upper(), "is_key": bool(get("is_key")), "task": None,
            }  # fmt: skip
        except forms.ValidationError as exc:
            errors.extend(exc.messages)
            continue
        if get("task"):
            item["task"] = LedgerTask.objects.filter(
                code=get("task"), org_path__startswith=organisation.path
            ).first()
        found.append(item)
    if errors:
        raise forms.ValidationError(errors)
    return found


class ActualsImportForm(forms.Form):
    file = forms.FileField(
        label=_("Actual values file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    dry_run = forms.BooleanField(
        label=_("Check only: validate and count, write nothing"), required=False
    )
