"""Serializers of the KPI API."""

from decimal import Decimal

from rest_framework import serializers

from ..models import Indicator, KpiSet, KpiTarget, Statement
from ..units import PERIODS, UNITS


class StatementSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    lines = serializers.SerializerMethodField()

    class Meta:
        model = Statement
        fields = ["id", "organisation", "year", "period", "basis", "source", "updated_at", "lines"]

    def get_lines(self, obj) -> dict:
        return {k: str(v) for k, v in obj.lines().items()}


class StatementPushSerializer(serializers.Serializer):
    organisation = serializers.CharField(max_length=40)
    year = serializers.IntegerField(min_value=1990, max_value=2100)
    period = serializers.ChoiceField(choices=PERIODS)
    basis = serializers.ChoiceField(choices=["consolidated", "single"])
    unit = serializers.ChoiceField(choices=UNITS)
    source = serializers.CharField(max_length=300, required=False, default="")
    lines = serializers.DictField(child=serializers.DecimalField(max_digits=22, decimal_places=4))


class StatementCorrectionSerializer(serializers.Serializer):
    unit = serializers.ChoiceField(choices=UNITS, required=False, default="元")
    source = serializers.CharField(max_length=300, required=False, default="")
    lines = serializers.DictField(
        child=serializers.DecimalField(max_digits=22, decimal_places=4),
        required=False,
        default=dict,
    )


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["code", "name_zh", "name_en", "formula", "unit", "direction", "precision",
                  "source", "to_confirm"]  # fmt: skip


class KpiSetSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = KpiSet
        fields = ["id", "code", "version", "name_zh", "name_en", "year_from", "year_to",
                  "source", "target_shapes", "indicators"]  # fmt: skip


class KpiTargetSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = KpiTarget
        fields = ["id", "organisation", "year", "code", "comparison", "value", "band", "origin",
                  "shape", "note"]  # fmt: skip


class TargetInSerializer(serializers.Serializer):
    organisation = serializers.CharField(max_length=40)
    year = serializers.IntegerField(min_value=1990, max_value=2100)
    code = serializers.CharField(max_length=40)
    comparison = serializers.CharField(max_length=4)
    value = serializers.DecimalField(max_digits=22, decimal_places=4)
    band = serializers.DecimalField(
        max_digits=10, decimal_places=4, required=False, allow_null=True
    )
    note = serializers.CharField(max_length=300, required=False, default="")


def plain(value) -> str | None:
    return None if value is None else f"{Decimal(value):f}"
