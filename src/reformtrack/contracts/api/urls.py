"""API routes of the contracts app: (prefix, viewset, basename), registered on the one router."""

from .views import (
    AnnualContractViewSet,
    AnnualResultViewSet,
    IncentivePlanViewSet,
    MemberViewSet,
    TenureResultViewSet,
    TenureViewSet,
    WorkforceViewSet,
)

routes: list[tuple] = [
    ("contracts/managers", MemberViewSet, "contractmember"),
    ("contracts/tenures", TenureViewSet, "tenurecontract"),
    ("contracts/annual", AnnualContractViewSet, "annualcontract"),
    ("contracts/results", AnnualResultViewSet, "annualresult"),
    ("contracts/tenure-results", TenureResultViewSet, "tenureresult"),
    ("contracts/plans", IncentivePlanViewSet, "incentiveplan"),
    ("contracts/workforce", WorkforceViewSet, "workforce"),
]
