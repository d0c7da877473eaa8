"""API representations of organisations and designations; writes go through services."""

from rest_framework import serializers

from ..models import Designation, DesignationKind, Organisation


class DesignationSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", queryset=Organisation.objects)
    kind = serializers.SlugRelatedField(slug_field="code", queryset=DesignationKind.objects)

    class Meta:
        model = Designation
        fields = [
            "id", "organisation", "kind", "valid_from", "valid_to", "chain", "batch",
            "source", "note",
        ]  # fmt: skip


class NestedDesignationSerializer(serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Designation
        fields = ["id", "kind", "valid_from", "valid_to", "chain", "batch"]


class OrganisationSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects, allow_null=True
    )
    designations = NestedDesignationSerializer(many=True, read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id", "code", "uscc", "name_zh", "name_en", "short_name_zh", "short_name_en",
            "kind", "level", "parent", "is_active", "closed_on", "designations",
        ]  # fmt: skip
        read_only_fields = ["level"]
