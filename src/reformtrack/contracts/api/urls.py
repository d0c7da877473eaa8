"""API routes of the contracts app: (prefix, viewset, basename), registered on the one router."""

from .views import AnnualContractViewSet, AnnualResultViewSet, MemberViewSet

routes: list[tuple] = [
    ("contracts/managers", MemberViewSet, "contractmember"),
    ("contracts/annual", AnnualContractViewSet, "annualcontract"),
    ("contracts/results", AnnualResultViewSet, "annualresult"),
]
