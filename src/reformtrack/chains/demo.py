"""Demo chains data (ILLUSTRATIVE: links, items, statuses, suppliers, partners, channels and
amounts are made up to show the features, not facts about the firms): the rail transit equipment
chain led by CRRC (第一批链长, as in orgs' demo) with 14 links, its bottleneck items and their
weak-link tasks in the CHAIN-LEADER ledger; three-firsts items, green channels of several demo
groups with procurements 2022–2025. Seed 004's benchmarks are orgs' (`orgs/benchmarks_demo.py`).
Idempotent: the same records every time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reformtrack.core.demo import register
from reformtrack.orgs.models import Organisation
from reformtrack.programs.models import Area, LedgerTask, Programme
from reformtrack.programs.services.tasks import seed_progress_as_system

from . import services
from .models import FirstItem, KeyItem, Link

CHAIN = ("RAIL-EQUIP", "轨道交通装备产业链", "Rail transit equipment chain", "第一批")
# code, name, stage, upstream codes
LINKS = [
    ("U01", "特种钢材与车轮", "upstream", []),
    ("U02", "铝合金型材", "upstream", []),
    ("U03", "高端轴承", "upstream", ["U01"]),
    ("U04", "功率半导体", "upstream", []),
    ("U05", "碳纤维复合材料", "upstream", []),
    ("U06", "工业设计仿真软件", "upstream", []),
    ("M01", "牵引传动系统", "midstream", ["U04"]),
    ("M02", "制动系统", "midstream", ["U01"]),
    ("M03", "转向架", "midstream", ["U01", "U03"]),
    ("M04", "列车网络控制系统", "midstream", ["U04", "U06"]),
    ("M05", "车体制造", "midstream", ["U02", "U05"]),
    ("D01", "整车集成", "downstream", ["M01", "M02", "M03", "M04", "M05"]),
    ("D02", "运营维保", "downstream", ["D01"]),
    ("D03", "城轨与海外市场", "downstream", ["D01"]),
]
# link, kind, name, status last year, status now, domestic suppliers, foreign suppliers
ITEMS = [
    ("U01", "material", "高速车轮钢", "single_source", "domestic", ["鞍钢（示例）", "华东特钢（示例）"], []),
    ("U02", "material", "大断面车体铝型材", "domestic", "domestic", ["北方铝业（示例）", "西南铝材（示例）"], []),
    ("U03", "product", "高速动车组轴箱轴承", "bottleneck", "bottleneck", ["华东精密轴承（示例）"], ["境外轴承供应商甲（示例）"]),
    ("U03", "technology", "轴承钢纯净冶炼技术", "foreign", "single_source", ["华东特钢（示例）"], ["境外供应商乙（示例）"]),
    ("U04", "product", "大功率IGBT模块", "single_source", "domestic", ["中车半导体（示例）", "江南功率器件（示例）"], []),
    ("U05", "material", "车体用碳纤维预浸料", "foreign", "foreign", [], ["境外材料供应商丙（示例）"]),
    ("U06", "technology", "多物理场仿真软件", "bottleneck", "bottleneck", [], ["境外软件供应商丁（示例）"]),
    ("M01", "product", "牵引变流器", "domestic", "domestic", ["中车时代（示例）", "西部电气（示例）"], []),
    ("M02", "product", "制动控制单元", "bottleneck", "single_source", ["北方制动（示例）"], ["境外制动供应商戊（示例）"]),
    ("M03", "product", "构架焊接总成", "domestic", "domestic", ["中车四方（示例）", "中车长客（示例）"], []),
    ("M04", "technology", "列车以太网控制芯片", "foreign", "bottleneck", ["国产芯片初创（示例）"], ["境外芯片供应商己（示例）"]),
    ("M05", "product", "铝合金车体", "domestic", "domestic", ["中车唐山（示例）", "中车青岛（示例）"], []),
    ("D01", "technology", "整车系统集成技术", "domestic", "domestic", ["中国中车", "中车研究院（示例）"], []),
    ("D02", "technology", "预测性维修平台", "single_source", "single_source", ["轨交运维科技（示例）"], []),
]  # fmt: skip
# link, organisation code or None, partner name, type, role
PARTICIPANTS = [
    ("D01", "CRRC", "", "central_soe", "leader"),
    ("U01", "ANSTEEL", "", "central_soe", "member"),
    ("U03", None, "华东精密轴承有限公司（示例）", "local_soe", "member"),
    ("U04", None, "江南功率器件有限公司（示例）", "private", "member"),
    ("U05", None, "北方碳纤维科技有限公司（示例）", "sme", "member"),
    ("U06", None, "国产仿真软件联合体（示例）", "private", "member"),
    ("M02", None, "北方制动设备有限公司（示例）", "local_soe", "member"),
    ("M04", None, "国产芯片初创公司（示例）", "sme", "member"),
    ("D02", None, "轨交运维科技有限公司（示例）", "private", "member"),
]
# item name, task code, title, deadline, status, percent
TASKS = [
    (
        "高速动车组轴箱轴承",
        "CL-RAIL-01",
        "高速动车组轴箱轴承国产化装车验证",
        "2026-12-31",
        "in_progress",
        45,
    ),
    (
        "多物理场仿真软件",
        "CL-RAIL-02",
        "自主多物理场仿真软件替代攻关",
        "2027-06-30",
        "in_progress",
        20,
    ),
    (
        "列车以太网控制芯片",
        "CL-RAIL-03",
        "列车以太网控制芯片第二供应商导入",
        "2026-09-30",
        "not_started",
        0,
    ),
    ("制动控制单元", "CL-RAIL-04", "制动控制单元国产化率提升", "2025-12-31", "done", 100),
]
FIRSTS = [
    ("first_set", "大功率IGBT牵引变流器（示例）", "中车时代（示例）", "SB-2023-001", "2023-03-15"),
    ("first_set", "高速磁浮列车走行部（示例）", "中国中车", "SB-2024-017", "2024-06-20"),
    ("first_batch", "耐蚀车轮钢（示例）", "鞍钢（示例）", "PC-2022-045", "2022-11-01"),
    (
        "first_version",
        "列车运行控制软件V1.0（示例）",
        "轨交软件（示例）",
        "BC-2023-112",
        "2023-09-08",
    ),
]
CHANNELS = {"CRRC": "2021-09-01", "SINOCHEM": "2022-03-15", "ANSTEEL": "2022-11-30",
            "CECEP": "2023-05-10", "DEC": "2023-02-20", "FAW": "2024-04-01"}  # fmt: skip
# enterprise, item index, date, amount 元, tender, green channel
PROCUREMENTS = [
    ("CRRC", 2, "2022-06-10", "12500000.00", "ZB-2022-0611", True),
    ("CRRC", 0, "2023-08-01", "38600000.00", "ZB-2023-0801", True),
    ("ANSTEEL", 3, "2023-10-12", "4200000.00", "AG-2023-1012", True),
    ("DEC", 0, "2023-01-18", "9800000.00", "DF-2023-0118", False),
    ("CRRC", 1, "2024-09-05", "56000000.00", "ZB-2024-0905", True),
    ("SINOCHEM", 3, "2024-03-22", "2600000.00", "ZH-2024-0322", True),
    ("FAW", 0, "2024-02-28", "7300000.00", "YQ-2024-0228", False),
    ("CECEP", 3, "2025-04-16", "1900000.00", "JN-2025-0416", True),
    ("FAW", 0, "2025-07-08", "15400000.00", "YQ-2025-0708", True),
    ("DEC", 1, "2025-05-30", "21000000.00", "DF-2025-0530", True),
]
SNAPSHOT_YEAR = 2025


def _orgs() -> dict[str, Organisation]:
    return {o.code: o for o in Organisation.objects.all()}


def _chain(orgs) -> dict:
    code, name_zh, name_en, batch = CHAIN
    chain = services.save_chain(
        user=None, code=code, name_zh=name_zh, name_en=name_en, leader=orgs["CRRC"],
        supervisor=orgs["SASAC"], batch=batch, note="演示数据（示意）",
    )  # fmt: skip
    links = {}
    for position, (link_code, name, stage, _up) in enumerate(LINKS):
        links[link_code] = services.save_link(
            user=None, chain=chain, code=link_code, name=name, stage=stage, position=position
        )
    for link_code, _name, _stage, upstream in LINKS:
        services.set_upstream(
            user=None, link=links[link_code], sources=[links[c] for c in upstream]
        )
    for link_code, org_code, partner, kind, role in PARTICIPANTS:
        if org_code and org_code not in orgs:
            continue
        services.add_participant(
            user=None, link=links[link_code], partner_type=kind, role=role,
            organisation=orgs.get(org_code) if org_code else None, partner_name=partner,
        )  # fmt: skip
    # Last year's statuses, their snapshot, then this year's: the page shows the change.
    for phase in (3, 4):
        for link_code, kind, name, *status, domestic, foreign in ITEMS:
            item = services.save_item(
                user=None, link=links[link_code], kind=kind, name=name, status=status[phase - 3]
            )
            services.set_suppliers(user=None, item=item, domestic=domestic, foreign=foreign)
        if phase == 3:
            services.take_snapshot(user=None, chain=chain, year=SNAPSHOT_YEAR)
    return {"chain": chain, "links": len(links), "tasks": _tasks(chain)}


def _tasks(chain) -> int:
    programme = Programme.objects.filter(code="CHAIN-LEADER").first()
    if programme is None:
        return 0
    area = Area.objects.get(programme=programme, code="A1")
    made = 0
    for item_name, code, title, deadline, status, percent in TASKS:
        item = KeyItem.objects.get(link__chain=chain, name=item_name)
        task = LedgerTask.objects.filter(programme=programme, code=code).first()
        if task is None:
            task = services.add_weak_link_task(
                user=None, item=item, programme=programme, area=area, code=code, title=title,
                deadline=dt.date.fromisoformat(deadline),
            )  # fmt: skip
            seed_progress_as_system(task=task, status=status, percent=Decimal(percent))
            made += 1
        item.tasks.add(task)
    return made


def _firsts(orgs) -> dict:
    items = [
        services.register_first_item(
            user=None,
            category=cat,
            name=name,
            supplier=supplier,
            certificate_no=no,
            certificate_date=dt.date.fromisoformat(day),
        )  # fmt: skip
        for cat, name, supplier, no, day in FIRSTS
    ]
    channels = 0
    for code, day in CHANNELS.items():
        if code in orgs:
            services.set_green_channel(
                user=None, organisation=orgs[code], established_on=dt.date.fromisoformat(day),
                note="演示数据（示意）",
            )  # fmt: skip
            channels += 1
    from .models import Procurement

    for code, index, day, amount, tender, green in PROCUREMENTS:
        if code not in orgs or Procurement.objects.filter(tender_ref=tender).exists():
            continue
        services.record_procurement(
            user=None, enterprise=orgs[code], item=items[index],
            date=dt.date.fromisoformat(day), amount=Decimal(amount), tender_ref=tender,
            green_channel=green,
        )  # fmt: skip
    return {"first_items": FirstItem.objects.count(), "channels": channels}


@register(45, "chains")
def load(stdout=None) -> dict:
    orgs = _orgs()
    if "CRRC" not in orgs or "SASAC" not in orgs:
        return {"chains": 0}
    made = _chain(orgs)
    summary = {
        "chain": made["chain"].code, "links": made["links"], "tasks": made["tasks"],
        **_firsts(orgs),
    }  # fmt: skip
    if stdout is not None:
        stdout.write(f"Demo chains: {made['chain'].code} with {Link.objects.count()} links")
    return summary
