"""API routes of the assessments app: (prefix, viewset, basename), registered on the one router."""

from .views import (
    AssessmentViewSet,
    CampaignViewSet,
    EvidenceFileViewSet,
    RuleSetViewSet,
    ScoreViewSet,
)

routes: list[tuple] = [
    ("assessments/rulesets", RuleSetViewSet, "ruleset"),
    ("assessments/campaigns", CampaignViewSet, "campaign"),
    ("assessments/assessments", AssessmentViewSet, "assessment"),
    ("assessments/scores", ScoreViewSet, "score"),
    ("assessments/evidence", EvidenceFileViewSet, "assessment-evidence"),
]
