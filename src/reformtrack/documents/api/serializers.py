"""API shapes: a document with its metadata; its items with spans on the detail."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from ..models import Brief, BriefEntry, Document, Extraction
from ..page_address import clean_address


class ExtractionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Extraction
        fields = ["id", "kind", "text", "start", "end", "method", "value", "review", "promoted_to"]


class DocumentSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Document
        fields = [
            "id", "filename", "checksum", "language", "script", "title", "published_on",
            "source", "source_inferred", "source_basis", "author", "authority", "doc_number",
            "links", "address", "spun", "spun_confidence",
            "cluster", "owner", "created_at",
        ]  # fmt: skip


class DocumentDetailSerializer(DocumentSerializer):
    items = ExtractionSerializer(many=True, read_only=True)

    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "text", "changes", "items"]


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    owner = serializers.CharField(
        required=False, max_length=40, help_text="organisation code; default: your office"
    )
    address = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="the page the file was fetched from (http:// or https://); its date is used "
        "when the text states none",
    )

    def validate_address(self, value: str) -> str:
        try:
            return clean_address(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None


class BriefEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = BriefEntry
        fields = [
            "part", "position", "title", "authority", "doc_number", "date", "link", "source",
            "analysis", "key_facts",
        ]  # fmt: skip


class BriefSerializer(serializers.ModelSerializer):
    """A weekly brief as its readers see it; edited and published on its page only."""

    owner = serializers.SlugRelatedField(slug_field="code", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    entries = BriefEntrySerializer(many=True, read_only=True)

    class Meta:
        model = Brief
        fields = [
            "id", "title", "week_start", "language", "status", "owner", "organisation",
            "published_at", "entries",
        ]  # fmt: skip
