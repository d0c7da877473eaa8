"""API representations of approvals, notifications and stored uploads."""

from rest_framework import serializers

from ..models import ApprovalRequest, ApprovalStep, Notification


class ApprovalStepSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True)
    organisation = serializers.CharField(source="organisation.code", read_only=True)

    class Meta:
        model = ApprovalStep
        fields = ["level", "organisation", "decision", "actor", "at", "comment"]


class ApprovalSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    waiting_at = serializers.CharField(
        source="current_organisation.code", read_only=True, allow_null=True
    )
    submitted_by = serializers.CharField(source="submitted_by.username", read_only=True)
    object_type = serializers.CharField(source="content_type.model", read_only=True)
    steps = ApprovalStepSerializer(many=True, read_only=True)

    class Meta:
        model = ApprovalRequest
        fields = [
            "id", "title", "object_type", "object_id", "organisation", "status",
            "current_level", "version", "waiting_at", "submitted_by", "submitted_at",
            "decided_at", "steps",
        ]  # fmt: skip


class DecisionSerializer(serializers.Serializer):
    """`level` and `version` as read: a decision on a request that moved on since is a 409."""

    approve = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    level = serializers.IntegerField(required=False, min_value=0, allow_null=True, default=None)
    version = serializers.IntegerField(required=False, min_value=0, allow_null=True, default=None)
    return_to = serializers.IntegerField(required=False, min_value=0, allow_null=True, default=None)


class NotificationSerializer(serializers.ModelSerializer):
    body = serializers.CharField(source="body_text", read_only=True)  # reader's language

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]


class StoredFileSerializer(serializers.ModelSerializer):
    """What every stored upload shows (see core.models.StoredFile), with its download link:
    subclasses add their owner fields to `Meta.fields` after these."""

    download = serializers.SerializerMethodField()

    FIELDS = [
        "id", "number", "original_name", "content_type", "size", "sha256", "uploaded_at",
        "download",
    ]  # fmt: skip

    def get_download(self, obj) -> str:
        return obj.get_absolute_url()
