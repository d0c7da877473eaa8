"""Serializers of the KPI API."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Indicator, KpiSet, KpiTarget, Statement
from ..units import PERIODS, UNITS


def version_field():
    """The version the client read (or the If-Match header); 0 or absent: a new object."""
    return serializers.IntegerField(min_value=0, required=False, write_only=True)


class StatementSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    lines = serializers.SerializerMethodField()

    class Meta:
        model = Statement
        fields = ["id", "organisation", "year", "period", "basis", "source", "updated_at", "lines",
                  "version"]  # fmt: skip

    @extend_schema_field(
        {"type": "object", "additionalProperties": {"type": "string", "format": "decimal"}}
    )
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
    version = version_field()


class StatementCorrectionSerializer(serializers.Serializer):
    unit = serializers.ChoiceField(choices=UNITS, required=False, default="元")
    source = serializers.CharField(max_length=300, required=False, default="")
    lines = serializers.DictField(
        child=serializers.DecimalField(max_digits=22, decimal_places=4),
        required=False,
        default=dict,
    )
    version = version_field()


class KpiIndicatorSerializer(serializers.ModelSerializer):
    """An indicator of a KPI set (named apart from the assessments' indicators in the schema)."""

    class Meta:
        model = Indicator
        fields = ["code", "name_zh", "name_en", "formula", "unit", "direction", "precision",
                  "source", "to_confirm"]  # fmt: skip


class KpiSetSerializer(serializers.ModelSerializer):
    indicators = KpiIndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = KpiSet
        fields = ["id", "code", "version", "name_zh", "name_en", "year_from", "year_to",
                  "source", "target_shapes", "indicators"]  # fmt: skip


class KpiTargetSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = KpiTarget
        fields = ["id", "organisation", "year", "code", "comparison", "value", "band", "origin",
                  "shape", "note", "version"]  # fmt: skip


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
    version = version_field()


class KpiValueItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)
    value = serializers.CharField(allow_null=True, help_text="A decimal as text; null: no value.")
    reason = serializers.CharField(allow_blank=True, allow_null=True)


class KpiValueSerializer(serializers.Serializer):
    """The KPI values of one organisation for a year and period (read only, for the schema)."""

    id = serializers.IntegerField(help_text="The organisation's id.")
    organisation = serializers.CharField()
    year = serializers.IntegerField()
    period = serializers.CharField()
    kpiset = serializers.CharField(allow_null=True)
    basis = serializers.CharField(allow_blank=True, allow_null=True)
    annualised = serializers.BooleanField()
    aggregated_from = serializers.ListField(child=serializers.CharField())
    values = KpiValueItemSerializer(many=True)


def plain(value) -> str | None:
    return None if value is None else f"{Decimal(value):f}"
