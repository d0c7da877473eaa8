"""Demo organisations, designations, users and an approval, from the source articles.

Names come from ../shared/seeds (000: Sinochem's seven special-project units; 001/002: CRRC,
CECEP; 004: Ansteel, Dongfang Electric, CFHI, FAW, Jiangsu's management benchmarks).
Unified social credit codes are synthetic (valid check character, not the real codes), and which
programme each Sinochem unit belongs to is illustrative.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from reformtrack.core.demo import register
from reformtrack.core.models import AdminRole, ApprovalRequest
from reformtrack.core.security.otp import base32_secret, enrol
from reformtrack.core.services import approvals

from . import services
from .models import Designation, DesignationKind, Organisation
from .uscc import ALPHABET, check_character

DEMO_PASSWORD = "Reform#2026"
SOURCE_000 = "seeds/000 (Sinochem, 2022-11-29)"
SOURCE_004 = "seeds/004 (weekly brief 2021-08-02..08)"

# code, parent code, kind, name_zh, name_en, short_zh, short_en, region
ORGANISATIONS = [
    ("SASAC", None, "supervisor", "国务院国有资产监督管理委员会",
     "State-owned Assets Supervision and Administration Commission of the State Council",
     "国务院国资委", "SASAC", "100000"),
    ("SINOCHEM", "SASAC", "group", "中国中化控股有限责任公司", "Sinochem Holdings Corporation Ltd.",
     "中国中化", "Sinochem", "110000"),
    ("HAOHUA", "SINOCHEM", "subsidiary", "昊华化工科技集团股份有限公司",
     "Haohua Chemical Science & Technology Co., Ltd.", "昊华科技", "Haohua Technology", "510000"),
    ("SINOCHEM-ENERGY", "SINOCHEM", "subsidiary", "中化能源股份有限公司", "Sinochem Energy Co., Ltd.",
     "中化能源", "Sinochem Energy", "110000"),
    ("SINOCHEM-INTL", "SINOCHEM", "subsidiary", "中化国际（控股）股份有限公司",
     "Sinochem International Corporation", "中化国际", "Sinochem International", "310000"),
    ("NANTONG-XINGCHEN", "SINOCHEM", "subsidiary", "南通星辰合成材料有限公司",
     "Nantong Xingchen Synthetic Material Co., Ltd.", "南通星辰", "Nantong Xingchen", "320600"),
    ("SINOCHEM-ENV", "SINOCHEM", "subsidiary", "中化环境控股有限公司",
     "Sinochem Environment Holdings Co., Ltd.", "中化环境", "Sinochem Environment", "110000"),
    ("SYRICI", "SINOCHEM", "subsidiary", "沈阳化工研究院有限公司",
     "Shenyang Research Institute of Chemical Industry Co., Ltd.", "沈阳化工研究院",
     "Shenyang Research Institute", "210100"),
    ("ZHONGLAN-CHENGUANG", "SINOCHEM", "subsidiary", "中蓝晨光化工有限公司",
     "Zhonglan Chenguang Chemical Co., Ltd.", "中蓝晨光", "Zhonglan Chenguang", "510100"),
    ("CRRC", "SASAC", "group", "中国中车集团有限公司", "CRRC Group Co., Ltd.", "中国中车", "CRRC",
     "110000"),
    ("CECEP", "SASAC", "group", "中国节能环保集团有限公司",
     "China Energy Conservation and Environmental Protection Group", "中国节能", "CECEP", "110000"),
    ("CNEPG", "CECEP", "subsidiary", "中国环境保护集团有限公司",
     "China National Environmental Protection Group Co., Ltd.", "中国环保", "CNEPG", "110000"),
    ("ANSTEEL", "SASAC", "group", "鞍钢集团有限公司", "Ansteel Group Corporation Limited", "鞍钢",
     "Ansteel", "210300"),
    ("DEC", "SASAC", "group", "中国东方电气集团有限公司", "Dongfang Electric Corporation", "东方电气",
     "Dongfang Electric", "510100"),
    ("CFHI", "SASAC", "group", "中国一重集团有限公司", "China First Heavy Industries Co., Ltd.",
     "中国一重", "CFHI", "230200"),
    ("FAW", "SASAC", "group", "中国第一汽车集团有限公司", "China FAW Group Co., Ltd.", "中国一汽", "FAW",
     "220100"),
    ("JSSASAC", None, "supervisor", "江苏省人民政府国有资产监督管理委员会",
     "State-owned Assets Supervision and Administration Commission of Jiangsu Province",
     "江苏省国资委", "Jiangsu SASAC", "320000"),
    ("JSCH", "JSSASAC", "group", "江苏交通控股有限公司", "Jiangsu Communications Holding Co., Ltd.",
     "江苏交控", "Jiangsu Communications", "320000"),
    ("XUZHOU-MINING", "JSSASAC", "group", "徐州矿务集团有限公司", "Xuzhou Coal Mining Group Co., Ltd.",
     "徐矿集团", "Xuzhou Mining", "320300"),
    ("SUZHOU-BEARING", "JSSASAC", "group", "苏州轴承厂股份有限公司", "Suzhou Bearing Factory Co., Ltd.",
     "苏州轴承", "Suzhou Bearing", "320500"),
    ("XCMG", "JSSASAC", "group", "徐工集团工程机械有限公司", "XCMG Construction Machinery Co., Ltd.",
     "徐工集团", "XCMG", "320300"),
]  # fmt: skip

# org code, designation kind, from, chain, batch, source
DESIGNATIONS = [
    ("HAOHUA", "SCI_TECH_DEMO", "2020-04-01", "", "", SOURCE_000),
    ("SYRICI", "SCI_TECH_DEMO", "2020-04-01", "", "", SOURCE_000),
    ("ZHONGLAN-CHENGUANG", "SCI_TECH_DEMO", "2020-04-01", "", "", SOURCE_000),
    ("NANTONG-XINGCHEN", "SCI_TECH_DEMO", "2020-04-01", "", "", SOURCE_000),
    ("SINOCHEM-ENERGY", "DOUBLE_HUNDRED", "2018-08-01", "", "", SOURCE_000),
    ("SINOCHEM-INTL", "DOUBLE_HUNDRED", "2018-08-01", "", "", SOURCE_000),
    ("SINOCHEM-ENV", "DOUBLE_HUNDRED", "2019-08-01", "", "", SOURCE_000),
    ("CRRC", "CHAIN_LEADER", "2021-12-01", "轨道交通装备", "第一批", "illustrative"),
    ("JSCH", "MGMT_BENCHMARK", "2021-08-01", "", "", SOURCE_004),
    ("XUZHOU-MINING", "MGMT_BENCHMARK", "2021-08-01", "", "", SOURCE_004),
    ("SUZHOU-BEARING", "MGMT_BENCHMARK", "2021-08-01", "", "", SOURCE_004),
]

# username, display name, business role and organisation, or administrator role
USERS = [
    ("sasac_admin", "国资委管理员", "supervisor_admin", "SASAC", ""),
    ("sinochem_office", "中化深改办", "reform_office", "SINOCHEM", ""),
    ("haohua_contributor", "昊华科技填报员", "contributor", "HAOHUA", ""),
    ("haohua_office", "昊华科技改革办", "reform_office", "HAOHUA", ""),
    ("crrc_office", "中车改革办", "reform_office", "CRRC", ""),
    ("jiangsu_viewer", "江苏省国资委查看", "viewer", "JSSASAC", ""),
    ("sysadmin", "系统管理员", "", "", AdminRole.SYSTEM),
    ("secadmin", "安全管理员", "", "", AdminRole.SECURITY),
    ("auditor", "审计管理员", "", "", AdminRole.AUDIT),
]


def synthetic_uscc(code: str, region: str, category: str) -> str:
    """A well-formed code (valid check character) derived from the demo code; not a real one."""
    digest = hashlib.sha256(code.encode()).digest()
    body = "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:9])
    first17 = category + region + body
    return first17 + check_character(first17)


def demo_totp_key(username: str) -> str:
    """A fixed key per demo administrator, so the printed secret stays valid across reloads."""
    return hashlib.sha256(f"reformtrack-demo-{username}".encode()).hexdigest()[:40]


def _load_organisations() -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    for code, parent, kind, name_zh, name_en, short_zh, short_en, region in ORGANISATIONS:
        fields = {
            "code": code, "kind": kind, "name_zh": name_zh, "name_en": name_en,
            "short_name_zh": short_zh, "short_name_en": short_en, "is_active": True,
            "uscc": synthetic_uscc(code, region, "11" if kind == "supervisor" else "91"),
        }  # fmt: skip
        existing = Organisation.objects.filter(code=code).first()
        if existing is None:
            orgs[code] = services.create_organisation(
                user=None, parent=orgs[parent] if parent else None, **fields
            )
        else:
            orgs[code] = services.update_organisation(user=None, organisation=existing, **fields)
    return orgs


def _load_designations(orgs) -> int:
    kinds = {k.code: k for k in DesignationKind.objects.all()}
    created = 0
    for code, kind, start, chain, batch, source in DESIGNATIONS:
        valid_from = dt.date.fromisoformat(start)
        if not Designation.objects.filter(
            organisation=orgs[code], kind=kinds[kind], valid_from=valid_from
        ).exists():
            services.add_designation(
                user=None, organisation=orgs[code], kind=kinds[kind], valid_from=valid_from,
                chain=chain, batch=batch, source=source,
            )  # fmt: skip
            created += 1
    return created


def _load_users(orgs) -> list[dict]:
    from reformtrack.core.services.users import create_user, set_password

    User = get_user_model()
    printed = []
    for username, display, role, org_code, admin_role in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = create_user(
                username=username, password=DEMO_PASSWORD, display_name=display,
                admin_role=admin_role,
            )  # fmt: skip
        else:
            set_password(user=user, password=DEMO_PASSWORD)
        row = {"username": username, "password": DEMO_PASSWORD, "display_name": display}
        if admin_role:
            device = enrol(user, key_hex=demo_totp_key(username))
            row.update(role=admin_role, otp_secret=base32_secret(device))
        else:
            services.grant_role(user=user, organisation=orgs[org_code], role=role)
            row.update(role=role, organisation=org_code)
        printed.append(row)
    return printed


def _load_approval(orgs) -> None:
    """One designation waiting for approval, so the inbox and the chain can be seen at work."""
    designation = Designation.objects.filter(
        organisation=orgs["HAOHUA"], kind__code="SCI_TECH_DEMO"
    ).first()
    ct = ContentType.objects.get_for_model(Designation)
    if (
        designation
        and not ApprovalRequest.objects.filter(
            content_type=ct, object_id=str(designation.pk)
        ).exists()
    ):
        approvals.submit(
            target=designation,
            organisation=orgs["HAOHUA"],
            user=get_user_model().objects.get(username="haohua_contributor"),
            title="昊华科技 科改示范企业年度材料",
            comment="2022 年度自评材料已上传，请审核。",
        )


@register(10, "orgs")
def load(stdout=None) -> dict:
    orgs = _load_organisations()
    designations = _load_designations(orgs)
    users = _load_users(orgs)
    _load_approval(orgs)
    if stdout is not None:
        stdout.write(f"Demo: {len(orgs)} organisations, {designations} new designations.")
        stdout.write(f"Demo users (password for all: {DEMO_PASSWORD}):")
        for row in users:
            where = row.get("organisation", "")
            extra = f"  OTP key: {row['otp_secret']}" if "otp_secret" in row else ""
            stdout.write(f"  {row['username']:<20} {row['role']:<18} {where:<10}{extra}")
        stdout.write("Administrators need the OTP key in an authenticator app (TOTP, 6 digits).")
    return {"organisations": len(orgs), "new_designations": designations, "users": users}


from . import benchmarks_demo  # noqa: E402, F401  (registers the "benchmarks" demo part)
