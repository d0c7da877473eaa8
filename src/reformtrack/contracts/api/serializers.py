"""Serializers of the contracts API (read-only: writes go through the pages, the command and
the services, which carry the approval path)."""

from rest_framework import serializers

from ..models import AnnualContract, AnnualResult, ContractIndicator, Member

MONEY = {"max_digits": 14, "decimal_places": 2, "read_only": True}


class MemberSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Member
        fields = ["id", "organisation", "name", "post", "appointed_on", "selection",
                  "tenure_start", "tenure_end", "is_active", "version"]  # fmt: skip


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContractIndicator
        fields = ["code", "name", "source", "kpi_code", "task", "weight", "baseline", "target",
                  "challenge", "rule", "is_key", "actual", "evidence"]  # fmt: skip


class AnnualContractSerializer(serializers.ModelSerializer):
    member = serializers.PrimaryKeyRelatedField(source="tenure.member", read_only=True)
    pay_standard = serializers.DecimalField(**MONEY)
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = AnnualContract
        fields = ["id", "member", "tenure", "year", "pay_standard", "status", "version",
                  "indicators"]  # fmt: skip


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
