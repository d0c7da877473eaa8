"""API representations of programmes, ledger tasks, progress reports and evidence."""

from rest_framework import serializers

from reformtrack.core.api.serializers import StoredFileSerializer

from ..choices import Direction
from ..models import (
    Area,
    EvidenceVersion,
    LedgerTask,
    PlanChangeRequest,
    Programme,
    ProgressReport,
    TargetStep,
    TaskTemplate,
)


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["id", "code", "name_zh", "name_en", "origin"]


class TemplateSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = TaskTemplate
        fields = [
            "id", "code", "area", "title_zh", "title_en", "kind", "is_main", "weight", "deadline",
            "deliverable_zh", "deliverable_en", "evidence_zh", "evidence_en", "applies_kinds",
            "applies_levels", "applies_designations", "indicator_unit", "indicator_target",
            "indicator_direction", "origin",
        ]  # fmt: skip


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = TargetStep
        fields = ["measure", "basis", "due", "percent", "label_zh", "label_en"]


class ProgrammeSerializer(serializers.ModelSerializer):
    areas = AreaSerializer(many=True, read_only=True)
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = Programme
        fields = [
            "id", "code", "version", "name_zh", "name_en", "issuer_zh", "issuer_en", "source",
            "provenance", "period_start", "period_end", "reporting", "count_only_approved",
            "direct_entry", "areas", "targets",
        ]  # fmt: skip


class ProgrammeDetailSerializer(ProgrammeSerializer):
    templates = TemplateSerializer(many=True, read_only=True)

    class Meta(ProgrammeSerializer.Meta):
        fields = [*ProgrammeSerializer.Meta.fields, "templates"]


class LedgerTaskSerializer(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    # Declared: a read-only model field loses its blank choice, and the schema would lie.
    indicator_direction = serializers.ChoiceField(
        choices=Direction.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = LedgerTask
        fields = [
            "id", "programme", "area", "code", "parent", "organisation", "title", "measure",
            "department", "owner", "deadline", "deliverable", "kind", "is_main", "weight",
            "status", "percent", "progress", "completed_on", "indicator_unit",
            "indicator_target", "indicator_actual", "indicator_direction", "updated_at", "version",
        ]  # fmt: skip
        # Progress fields stay writable so that a write of them is refused with its reason
        # (progress is reported through progress reports), not silently ignored.
        read_only_fields = [
            "kind", "completed_on", "indicator_unit", "indicator_direction", "updated_at",
            "version",
        ]  # fmt: skip


class ProgressReportSerializer(serializers.ModelSerializer):
    task = serializers.PrimaryKeyRelatedField(queryset=LedgerTask.objects.all())
    reported_by = serializers.StringRelatedField()

    class Meta:
        model = ProgressReport
        fields = [
            "id", "task", "period_end", "status", "percent", "narrative", "indicator_actual",
            "state", "reported_by", "created_at", "updated_at", "version",
        ]  # fmt: skip
        read_only_fields = ["state", "reported_by", "created_at", "updated_at", "version"]
        extra_kwargs = {"period_end": {"required": False}}
        validators = []  # one report per task and period: the service updates the draft


class PlanChangeRequestSerializer(serializers.ModelSerializer):
    """A plan change request as read: what changes (before → after), why, by whom, its state."""

    task = serializers.PrimaryKeyRelatedField(read_only=True)
    requested_by = serializers.StringRelatedField()

    class Meta:
        model = PlanChangeRequest
        fields = [
            "id", "task", "changes", "reason", "state", "requested_by", "task_version",
            "created_at", "decided_at",
        ]  # fmt: skip
        read_only_fields = fields


class PlanChangeAskSerializer(serializers.Serializer):
    """Ask for another deadline, weight, main-task flag, responsible person or target; send
    the task's version (If-Match or `version`) as read."""

    deadline = serializers.DateField(required=False)
    weight = serializers.DecimalField(max_digits=8, decimal_places=2, required=False)
    is_main = serializers.BooleanField(required=False)
    owner = serializers.CharField(max_length=100, required=False, allow_blank=True)
    indicator_target = serializers.DecimalField(max_digits=18, decimal_places=4, required=False)
    reason = serializers.CharField()
    version = serializers.IntegerField(required=False, min_value=1)


class EvidenceVersionSerializer(StoredFileSerializer):
    task = serializers.IntegerField(source="evidence.task_id", read_only=True)
    title = serializers.CharField(source="evidence.title", read_only=True)

    class Meta:
        model = EvidenceVersion
        fields = [*StoredFileSerializer.FIELDS, "task", "title"]


class EvidenceUploadSerializer(serializers.Serializer):
    task = serializers.IntegerField()
    file = serializers.FileField()
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
