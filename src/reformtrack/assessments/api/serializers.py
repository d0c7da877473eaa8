"""API representations of rule sets, campaigns, assessments, scores, evidence and results."""

from rest_framework import serializers

from reformtrack.core.api.serializers import StoredFileSerializer

from ..models import (
    Assessment,
    Campaign,
    Dimension,
    EvidenceFile,
    Indicator,
    RatingBand,
    Rectification,
    RuleSet,
    Score,
    VetoItem,
)


class BandSerializer(serializers.ModelSerializer):
    class Meta:
        model = RatingBand
        fields = ["code", "label_zh", "label_en", "min_score", "top_share", "rank"]


class VetoSerializer(serializers.ModelSerializer):
    class Meta:
        model = VetoItem
        fields = ["code", "text_zh", "text_en", "cap"]


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id", "code", "title_zh", "title_en", "max_points", "method", "items", "guidance_zh",
            "guidance_en", "evidence_zh", "evidence_en", "value_source", "value_code",
            "applies_to", "origin",
        ]  # fmt: skip


class DimensionSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Dimension
        fields = ["code", "name_zh", "name_en", "origin", "indicators"]


class RuleSetSerializer(serializers.ModelSerializer):
    bands = BandSerializer(many=True, read_only=True)
    vetoes = VetoSerializer(many=True, read_only=True)
    dimensions = DimensionSerializer(many=True, read_only=True)

    class Meta:
        model = RuleSet
        fields = [
            "id", "code", "version", "name_zh", "name_en", "issuer_zh", "issuer_en", "source",
            "provenance", "applies_to", "bands", "vetoes", "dimensions",
        ]  # fmt: skip


class CampaignSerializer(serializers.ModelSerializer):
    rule_set = serializers.SlugRelatedField(slug_field="code", queryset=RuleSet.objects.all())
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id", "code", "name_zh", "name_en", "rule_set", "year", "organisation",
            "self_deadline", "review_deadline", "status", "published_at",
        ]  # fmt: skip
        read_only_fields = ["status", "published_at"]
        # A campaign of year 0 was a 500 (issue 16): the year is a real one.
        extra_kwargs = {"year": {"min_value": 1990, "max_value": 2100}}


class CampaignCreateSerializer(CampaignSerializer):
    organisation = serializers.CharField(write_only=True)
    targets = serializers.ListField(child=serializers.CharField(), required=False)

    class Meta(CampaignSerializer.Meta):
        fields = [*CampaignSerializer.Meta.fields, "targets"]


class ScoreSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    max_points = serializers.DecimalField(
        source="indicator.max_points", max_digits=6, decimal_places=2, read_only=True
    )

    class Meta:
        model = Score
        fields = [
            "id", "assessment", "indicator", "max_points", "self_points", "justification",
            "evidence", "checked", "value", "value_note", "reviewed_points", "review_reason",
            "version",
        ]  # fmt: skip
        read_only_fields = fields


def version_field():
    """The version the client read (or the If-Match header)."""
    return serializers.IntegerField(min_value=0, required=False, write_only=True)


class SelfScoreSerializer(serializers.Serializer):
    points = serializers.DecimalField(max_digits=6, decimal_places=2, required=False)
    checked = serializers.ListField(child=serializers.IntegerField(), required=False)
    yes = serializers.BooleanField(required=False, allow_null=True, default=None)
    justification = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    version = version_field()


class AdjustSerializer(serializers.Serializer):
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    reason = serializers.CharField()
    version = version_field()


class SubmitSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    version = version_field()


class ExtensionSerializer(serializers.Serializer):
    """A later deadline asked for: "self" (the enterprise) or "review" (a reviewer)."""

    kind = serializers.ChoiceField(choices=["self", "review"], default="self")
    new_date = serializers.DateField()
    reason = serializers.CharField()


class ReviewSerializer(serializers.Serializer):
    approve = serializers.BooleanField(default=False)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class RectifySerializer(serializers.Serializer):
    indicators = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, allow_empty=True,
        help_text="Indicator codes; none: every gap.",
    )  # fmt: skip
    owner = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    department = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    deadline = serializers.DateField(required=False, allow_null=True, default=None)


class GapSerializer(serializers.Serializer):
    indicator = serializers.CharField(source="score.indicator.code")
    title = serializers.CharField(source="score.indicator.title")
    points = serializers.DecimalField(max_digits=8, decimal_places=2)
    maximum = serializers.DecimalField(max_digits=8, decimal_places=2)
    lost = serializers.DecimalField(max_digits=8, decimal_places=2)
    median = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    below_median = serializers.BooleanField()
    self_points = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    difference = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    task = serializers.SerializerMethodField()

    def get_task(self, gap) -> str | None:
        rectification = gap.rectification
        return rectification.task.code if rectification and rectification.task else None


class ResultRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    organisation = serializers.CharField(source="assessment.organisation.code")
    name = serializers.CharField()
    score = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    rating = serializers.CharField(allow_blank=True)
    rating_label = serializers.CharField(allow_blank=True)
    previous = serializers.CharField(allow_blank=True)
    movement = serializers.IntegerField(allow_null=True)


class DistributionSerializer(serializers.Serializer):
    rating = serializers.CharField()
    count = serializers.IntegerField()


class ResultsSerializer(serializers.Serializer):
    results = ResultRowSerializer(many=True)
    distribution = DistributionSerializer(many=True)


class RectificationSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    task = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Rectification
        fields = ["indicator", "task", "points_lost", "closed_at"]


class AssessmentSerializer(serializers.ModelSerializer):
    campaign = serializers.SlugRelatedField(slug_field="code", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    rating_label = serializers.CharField(read_only=True)
    rectifications = RectificationSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id", "campaign", "organisation", "organisation_name", "status", "self_score",
            "score", "rating", "rating_label", "vetoes", "times_returned", "note", "source",
            "rectifications", "version",
        ]  # fmt: skip
        read_only_fields = fields


class ResultSerializer(serializers.Serializer):
    organisation = serializers.CharField()
    rating = serializers.CharField()
    score = serializers.DecimalField(max_digits=6, decimal_places=2, required=False,
                                     allow_null=True)  # fmt: skip
    note = serializers.CharField(required=False, allow_blank=True, default="")
    source = serializers.CharField(required=False, allow_blank=True, default="")


class EvidenceFileSerializer(StoredFileSerializer):
    assessment = serializers.IntegerField(source="score.assessment_id", read_only=True)
    indicator = serializers.CharField(source="score.indicator.code", read_only=True)

    class Meta:
        model = EvidenceFile
        fields = [*StoredFileSerializer.FIELDS, "score", "assessment", "indicator", "title"]
        read_only_fields = fields


class ScoreEvidenceUploadSerializer(serializers.Serializer):
    """A file for a score (named apart from the ledger's evidence upload in the schema)."""

    score = serializers.IntegerField()
    file = serializers.FileField()
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
