from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

TEMPLATES = Path(__file__).parent / "report_templates"


class ContractsConfig(AppConfig):
    name = "reformtrack.contracts"
    label = "contracts"
    verbose_name = _("People and incentives")
    # Main-menu entries for business users: (URL name, label).
    nav: list[tuple[str, str]] = [("contracts:home", _("People and incentives"))]
    # Shown only to pay keepers and to a manager linked to their own record (others get 403).
    nav_shown_to = {"contracts:home": "reformtrack.contracts.selectors.may_open_people_pages"}

    def ready(self) -> None:
        from reformtrack.core.libraries import register_kind
        from reformtrack.core.reports import register_docx
        from reformtrack.core.services.audit import track

        from . import receivers  # noqa: F401
        from .models import (
            AnnualContract,
            AnnualResult,
            ContractIndicator,
            IncentivePlan,
            Member,
            TenureContract,
            TenureIndicator,
            TenureResult,
        )
        from .rules import ContractRulesLibrary, install

        register_kind("contractrules", schema=ContractRulesLibrary, install=install)
        register_docx("contracts-annual", TEMPLATES / "annual-contract.docx")
        for model in (Member, TenureContract, ContractIndicator):
            track(model)
        # Pay stays out of the audit trail (auditors read it): the score, grade and coefficient
        # that decide it are recorded; the amounts are encrypted at rest.
        track(AnnualContract, exclude=("pay_standard",))
        track(AnnualResult, exclude=("base_pay", "performance_pay", "tenure_incentive"))
        track(IncentivePlan, exclude=("allowed", "paid"))
        track(TenureIndicator)
        track(TenureResult, exclude=("annual_pay", "accrued", "incentive"))
