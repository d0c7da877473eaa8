"""Demo managers (ILLUSTRATIVE names and figures) of two demo groups, 东方电气 and 中国一重:
tenure contracts 2023–2025 and three annual contracts each, scored from the demo KPIs and
entered key-task values, one manager flagged by an exit trigger. Idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from reformtrack.core.demo import register
from reformtrack.core.libraries import install_library
from reformtrack.orgs.models import Organisation

from .choices import Selection, Source, Status
from .models import AnnualContract, IncentivePlan, Member, Workforce
from .rules import load_rules
from .services import (
    create_annual,
    create_tenure,
    pull_actuals,
    record_actuals,
    save_member,
    save_plan,
    save_workforce,
    score_contract,
)
from .tenure import record_tenure_actuals, score_tenure, set_tenure_indicators

YEARS = (2023, 2024, 2025)
# group, kind, plan, year, participants, conditions, base (元), allowed, paid
PLANS = [
    ("DEC", "excess_profit", "东方电气超额利润分享（示例）", 2024, 120, "净利润超过目标利润部分提取，ROE不低于目标",
     80_000_000, 20_000_000, 18_500_000),
    ("DEC", "dividend_rights", "东方电气科技型企业岗位分红（示例）", 2024, 45, "研发投入强度不低于5%",
     600_000_000, 60_000_000, 52_000_000),
    ("CFHI", "excess_profit", "中国一重超额利润分享（示例）", 2024, 80, "利润总额超过目标值",
     30_000_000, 9_000_000, 8_000_000),
    ("CFHI", "co_investment", "中国一重项目跟投（示例）", 2024, 30, "项目内部收益率不低于8%",
     50_000_000, 5_000_000, 3_000_000),
]  # fmt: skip
# group, name, post, selection, annual pay standard (元), target factor per year (target as a
# multiple of the year's actual profit: above 1 means the target was missed)
MANAGERS = [
    ("DEC", "张明（示例）", "总经理", Selection.APPOINTED, 900_000, (0.95, 0.97, 0.98)),
    ("DEC", "李华（示例）", "副总经理", Selection.MARKET, 720_000, (1.02, 0.99, 1.01)),
    ("DEC", "王芳（示例）", "财务总监", Selection.PROFESSIONAL, 680_000, (0.98, 1.0, 0.96)),
    ("CFHI", "赵强（示例）", "总经理", Selection.APPOINTED, 850_000, (0.99, 0.97, 0.99)),
    ("CFHI", "陈静（示例）", "副总经理", Selection.MARKET, 700_000, (1.03, 1.1, 1.6)),
    ("CFHI", "刘洋（示例）", "总工程师", Selection.PROFESSIONAL, 660_000, (0.97, 1.0, 1.02)),
]


# group, year, average headcount, market-based exits, new hires, hired openly (ILLUSTRATIVE)
WORKFORCE = [
    ("DEC", 2023, 17800, 412, 960, 951), ("DEC", 2024, 17650, 455, 1010, 1004),
    ("DEC", 2025, 17500, 468, 1050, 1046),
    ("CFHI", 2023, 11200, 240, 520, 505), ("CFHI", 2024, 11050, 268, 540, 531),
    ("CFHI", 2025, 10900, 301, 560, 557),
]  # fmt: skip
# A manager who went down (能下): group, name, post, appointed, left on, reason, note
FORMER = [
    ("DEC", "周伟（示例）", "副总经理", dt.date(2021, 1, 1), dt.date(2024, 3, 31), "demoted",
     "2023年度考核结果为基本称职，调整为部门负责人（示例）"),
]  # fmt: skip
# A finished tenure (2023–2025) scored per group: manager → the tenure indicator's actual (%)
TENURE_SCORED = {"张明（示例）": Decimal(104), "赵强（示例）": Decimal(97)}
TENURE_INDICATORS = [
    {"code": "T1", "name": "任期累计利润总额目标完成率（%）", "weight": Decimal(60),
     "baseline": Decimal(80), "target": Decimal(100), "challenge": Decimal(110), "rule": "LINEAR",
     "is_key": True},
    {"code": "T2", "name": "任期改革任务完成率（%）", "weight": Decimal(40),
     "baseline": Decimal(80), "target": Decimal(100), "rule": "LINEAR"},
]  # fmt: skip
# Demo accounts: HR of DEC, and 张明 reading his own record.
HR_USER, MEMBER_USER, MEMBER_NAME = "dec_hr", "dec_zhangming", "张明（示例）"


SHIPPED = Path(__file__).resolve().parent.parent / "libraries" / "contractrules"


def _indicators(profit: Decimal | None, factor: float) -> list[dict]:
    target = (profit or Decimal(100)) * Decimal(str(factor))
    return [
        {"code": "P1", "name": "利润总额", "source": Source.KPI, "kpi_code": "TOTAL_PROFIT",
         "weight": Decimal(50), "baseline": (target * Decimal("0.8")).quantize(Decimal("0.01")),
         "target": target.quantize(Decimal("0.01")),
         "challenge": (target * Decimal("1.1")).quantize(Decimal("0.01")),
         "rule": "LINEAR", "is_key": True},
        {"code": "R1", "name": "重点改革任务完成率", "source": Source.FREE, "weight": Decimal(50),
         "baseline": Decimal(80), "target": Decimal(100), "rule": "LINEAR", "is_key": False},
        {"code": "V1", "name": "安全生产（否决项）", "source": Source.FREE, "weight": Decimal(0),
         "target": Decimal(1), "rule": "VETO"},
    ]  # fmt: skip


def _sign(obj) -> None:
    """Demo only: contracts and results are loaded as approved outside the platform (the
    approval path itself is shown by the tests and the pages)."""
    if obj.status != Status.APPROVED:
        obj.status = Status.APPROVED
        obj.save(update_fields=["status"])


@register(70, "contracts")
def load(stdout=None) -> dict:
    from reformtrack.kpis.selectors import kpi_value

    for path in sorted(SHIPPED.glob("*.yaml")):
        install_library(path.read_text(encoding="utf-8"), origin=path.name)
    load_rules("CONTRACT-RULES")
    counts = {"managers": 0, "annual_contracts": 0, "flagged": 0, "tenure_results": 0}
    for code, name, post, selection, pay, factors in MANAGERS:
        org = Organisation.objects.filter(code=code).first()
        if org is None:
            continue
        member = Member.objects.filter(organisation=org, name=name, post=post).first()
        if member is None:
            member = save_member(
                user=None, organisation=org, name=name, post=post,
                appointed_on=dt.date(2023, 1, 1), selection=selection,
                tenure_start=dt.date(2023, 1, 1), tenure_end=dt.date(2025, 12, 31),
            )  # fmt: skip
        counts["managers"] += 1
        tenure = member.tenures.first() or create_tenure(
            user=None, member=member, start=dt.date(2023, 1, 1), end=dt.date(2025, 12, 31)
        )
        if (
            name in TENURE_SCORED
            and tenure.status == Status.DRAFT
            and not tenure.indicators.exists()
        ):
            set_tenure_indicators(
                user=None, tenure=tenure, version=tenure.version, indicators=TENURE_INDICATORS
            )
            tenure.refresh_from_db()
        _sign(tenure)
        for year, factor in zip(YEARS, factors, strict=True):
            contract = AnnualContract.objects.filter(tenure=tenure, year=year).first()
            if contract is None:
                profit = kpi_value(organisation=org, year=year, code="TOTAL_PROFIT")
                contract = create_annual(
                    user=None, tenure=tenure, year=year, pay_standard=Decimal(pay),
                    indicators=_indicators(profit, factor),
                )  # fmt: skip
                _sign(contract)
                pull_actuals(user=None, contract=contract)
                done = Decimal(96) if factor < 1.5 else Decimal(72)
                values = {
                    "R1": (done, "年度改革任务台账（示例）"),
                    "V1": (Decimal(1), "安全生产报告（示例）"),
                }
                if contract.indicators.get(code="P1").actual is None:
                    values["P1"] = (contract.indicators.get(code="P1").target, "年度决算（示例）")
                record_actuals(user=None, contract=contract, values=values)
                result = score_contract(user=None, contract=contract)
                _sign(result)
            counts["annual_contracts"] += 1
            if hasattr(contract, "result") and contract.result.exits:
                counts["flagged"] += 1
        if name in TENURE_SCORED:
            counts["tenure_results"] += _tenure(tenure, TENURE_SCORED[name])
    counts["left"] = _former()
    counts["staff_years"] = _workforce()
    _accounts(stdout)
    counts["incentive_plans"] = 0
    for code, kind, name, year, people, conditions, base, allowed, paid in PLANS:
        org = Organisation.objects.filter(code=code).first()
        if org is None:
            continue
        if not IncentivePlan.objects.filter(organisation=org, name=name, year=year).exists():
            save_plan(
                user=None, organisation=org, kind=kind, name=name, year=year,
                participants=people, conditions=conditions, base_amount=Decimal(base),
                allowed=Decimal(allowed), paid=Decimal(paid),
            )  # fmt: skip
        counts["incentive_plans"] += 1
    return counts


def _tenure(tenure, actual: Decimal) -> int:
    """Score the finished tenure once (its annual results are approved above)."""
    tenure.refresh_from_db()
    if hasattr(tenure, "result"):
        return 1
    if not tenure.indicators.exists():
        return 0
    record_tenure_actuals(
        user=None, tenure=tenure,
        values={"T1": (actual, "任期经营业绩决算（示例）"), "T2": (Decimal(100), "改革台账（示例）")},
    )  # fmt: skip
    _sign(score_tenure(user=None, tenure=tenure))
    return 1


def _former() -> int:
    done = 0
    for code, name, post, appointed, left, reason, note in FORMER:
        org = Organisation.objects.filter(code=code).first()
        if org is None:
            continue
        if not Member.objects.filter(organisation=org, name=name, post=post).exists():
            save_member(
                user=None, organisation=org, name=name, post=post, appointed_on=appointed,
                selection=Selection.APPOINTED, tenure_start=appointed,
                tenure_end=dt.date(appointed.year + 2, 12, 31), is_active=False, left_on=left,
                leave_reason=reason, leave_note=note,
            )  # fmt: skip
        done += 1
    return done


def _workforce() -> int:
    done = 0
    for code, year, headcount, exits, hires, open_hires in WORKFORCE:
        org = Organisation.objects.filter(code=code).first()
        if org is None:
            continue
        if not Workforce.objects.filter(organisation=org, year=year).exists():
            save_workforce(
                user=None, organisation=org, year=year, headcount=headcount,
                market_exits=exits, hires=hires, open_hires=open_hires,
                source="年度人力资源统计（示例）",
            )  # fmt: skip
        done += 1
    return done


def _accounts(stdout) -> None:
    """An HR user on DEC and 张明's own account (password as the other demo users)."""
    from django.contrib.auth import get_user_model

    from reformtrack.core.services.users import create_user
    from reformtrack.orgs.demo import DEMO_PASSWORD
    from reformtrack.orgs.models import RoleAssignment
    from reformtrack.orgs.services import grant_role

    dec = Organisation.objects.filter(code="DEC").first()
    member = Member.objects.filter(organisation=dec, name=MEMBER_NAME).first()
    if dec is None or member is None:
        return
    users = get_user_model().objects
    for username, display in ((HR_USER, "东方电气人力资源部（示例）"), (MEMBER_USER, MEMBER_NAME)):
        if not users.filter(username=username).exists():
            create_user(username=username, password=DEMO_PASSWORD, display_name=display)
    hr = users.get(username=HR_USER)
    if not RoleAssignment.objects.filter(user=hr, organisation=dec, role="hr").exists():
        grant_role(user=hr, organisation=dec, role="hr")
    if member.user_id is None:
        member.user = users.get(username=MEMBER_USER)
        member.save(update_fields=["user"])
    if stdout is not None:
        stdout.write(
            f"Contracts demo users (password {DEMO_PASSWORD}): {HR_USER} (HR of DEC), "
            f"{MEMBER_USER} (reads only {MEMBER_NAME}'s own record)"
        )
