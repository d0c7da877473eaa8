"""Serializers of the contracts API: what is read (pay amounts included, for those who may) and
what a write accepts. Writes go through the services, which check the scope, the version and
the approval path; nothing here saves a model directly."""

from rest_framework import serializers

from ..choices import LeaveReason, PlanKind, Selection, Source
from ..models import (
    AnnualContract,
    AnnualResult,
    ContractIndicator,
    IncentivePlan,
    Member,
    TenureContract,
    TenureIndicator,
    TenureResult,
    Workforce,
)

MONEY = {"max_digits": 14, "decimal_places": 2, "read_only": True}
VALUE = {"max_digits": 20, "decimal_places": 4}


class MemberSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Member
        fields = ["id", "organisation", "name", "post", "appointed_on", "selection",
                  "tenure_start", "tenure_end", "is_active", "left_on", "leave_reason",
                  "leave_note", "user", "version"]  # fmt: skip


class MemberInSerializer(serializers.Serializer):
    organisation = serializers.CharField(max_length=40, required=False)
    name = serializers.CharField(max_length=100)
    post = serializers.CharField(max_length=100)
    appointed_on = serializers.DateField()
    selection = serializers.ChoiceField(choices=Selection.choices)
    tenure_start = serializers.DateField()
    tenure_end = serializers.DateField()
    is_active = serializers.BooleanField(default=True)
    left_on = serializers.DateField(required=False, allow_null=True, default=None)
    leave_reason = serializers.ChoiceField(
        choices=[("", "")] + list(LeaveReason.choices), required=False, default=""
    )
    leave_note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)


class TenureIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = TenureIndicator
        fields = ["code", "name", "weight", "baseline", "target", "challenge", "rule", "is_key",
                  "actual", "evidence"]  # fmt: skip


class TenureSerializer(serializers.ModelSerializer):
    indicators = TenureIndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = TenureContract
        fields = ["id", "member", "start", "end", "rules", "status", "version", "indicators"]
        read_only_fields = ["rules", "status", "version"]


class IndicatorSerializer(serializers.ModelSerializer):
    task = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ContractIndicator
        fields = ["code", "name", "source", "kpi_code", "task", "weight", "baseline", "target",
                  "challenge", "rule", "is_key", "actual", "evidence"]  # fmt: skip


class IndicatorInSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    source = serializers.ChoiceField(choices=Source.choices)
    kpi_code = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    task = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    weight = serializers.DecimalField(max_digits=6, decimal_places=2)
    baseline = serializers.DecimalField(**VALUE, required=False, allow_null=True, default=None)
    target = serializers.DecimalField(**VALUE)
    challenge = serializers.DecimalField(**VALUE, required=False, allow_null=True, default=None)
    rule = serializers.CharField(max_length=40)
    is_key = serializers.BooleanField(default=False)


class AnnualContractSerializer(serializers.ModelSerializer):
    member = serializers.PrimaryKeyRelatedField(source="tenure.member", read_only=True)
    pay_standard = serializers.DecimalField(**MONEY)
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = AnnualContract
        fields = ["id", "member", "tenure", "year", "pay_standard", "status", "version",
                  "indicators"]  # fmt: skip


class AnnualInSerializer(serializers.Serializer):
    tenure = serializers.IntegerField(required=False)
    year = serializers.IntegerField(required=False, min_value=1990, max_value=2100)
    pay_standard = serializers.DecimalField(max_digits=14, decimal_places=2)
    indicators = IndicatorInSerializer(many=True)
    version = serializers.IntegerField(required=False)


class ActualInSerializer(serializers.Serializer):
    actual = serializers.DecimalField(**VALUE, allow_null=True)
    evidence = serializers.CharField(max_length=300, allow_blank=True, default="")


class ActualsInSerializer(serializers.Serializer):
    values = serializers.DictField(child=ActualInSerializer())
    version = serializers.IntegerField(required=False)


class AnnualResultSerializer(serializers.ModelSerializer):
    member = serializers.PrimaryKeyRelatedField(source="contract.tenure.member", read_only=True)
    year = serializers.IntegerField(source="contract.year", read_only=True)
    base_pay = serializers.DecimalField(**MONEY)
    performance_pay = serializers.DecimalField(**MONEY)
    tenure_incentive = serializers.DecimalField(**MONEY)

    class Meta:
        model = AnnualResult
        fields = ["id", "member", "contract", "year", "score", "grade", "grade_label",
                  "coefficient", "key_completion", "base_pay", "performance_pay",
                  "tenure_incentive", "exits", "status", "version"]  # fmt: skip


class IncentivePlanSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    allowed = serializers.DecimalField(**MONEY)
    paid = serializers.DecimalField(**MONEY)

    class Meta:
        model = IncentivePlan
        fields = ["id", "organisation", "kind", "name", "year", "participants", "conditions",
                  "base_amount", "allowed", "paid", "rules", "version"]  # fmt: skip


class PlanInSerializer(serializers.Serializer):
    organisation = serializers.CharField(max_length=40, required=False)
    kind = serializers.ChoiceField(choices=PlanKind.choices)
    name = serializers.CharField(max_length=200)
    year = serializers.IntegerField(min_value=1990, max_value=2100)
    participants = serializers.IntegerField(min_value=0)
    conditions = serializers.CharField(required=False, allow_blank=True, default="")
    base_amount = serializers.DecimalField(max_digits=20, decimal_places=2)
    allowed = serializers.DecimalField(max_digits=20, decimal_places=2, min_value=0)
    paid = serializers.DecimalField(max_digits=20, decimal_places=2, min_value=0)
    version = serializers.IntegerField(required=False)


class WorkforceSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Workforce
        fields = ["id", "organisation", "year", "headcount", "market_exits", "hires",
                  "open_hires", "source", "version"]  # fmt: skip


class WorkforceInSerializer(serializers.Serializer):
    organisation = serializers.CharField(max_length=40)
    year = serializers.IntegerField(min_value=1990, max_value=2100)
    headcount = serializers.IntegerField(min_value=0)
    market_exits = serializers.IntegerField(min_value=0)
    hires = serializers.IntegerField(min_value=0)
    open_hires = serializers.IntegerField(min_value=0)
    source = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)


class TenureIndicatorInSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    weight = serializers.DecimalField(max_digits=6, decimal_places=2)
    baseline = serializers.DecimalField(**VALUE, required=False, allow_null=True, default=None)
    target = serializers.DecimalField(**VALUE)
    challenge = serializers.DecimalField(**VALUE, required=False, allow_null=True, default=None)
    rule = serializers.CharField(max_length=40)
    is_key = serializers.BooleanField(default=False)


class TenureIndicatorsInSerializer(serializers.Serializer):
    indicators = TenureIndicatorInSerializer(many=True)
    version = serializers.IntegerField(required=False)


class TenureResultSerializer(serializers.ModelSerializer):
    member = serializers.PrimaryKeyRelatedField(source="tenure.member", read_only=True)
    start = serializers.DateField(source="tenure.start", read_only=True)
    end = serializers.DateField(source="tenure.end", read_only=True)
    annual_pay = serializers.DecimalField(**MONEY)
    accrued = serializers.DecimalField(**MONEY)
    incentive = serializers.DecimalField(**MONEY)

    class Meta:
        model = TenureResult
        fields = ["id", "member", "tenure", "start", "end", "years", "annual_score",
                  "indicator_score", "points", "score", "grade", "grade_label",
                  "incentive_share", "annual_pay", "accrued", "incentive", "capped", "status",
                  "version"]  # fmt: skip
