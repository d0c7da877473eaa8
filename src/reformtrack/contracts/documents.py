"""The annual performance contract as Word, from an editable docxtpl template in Chinese
(`contracts-annual`; a supervisor may upload an override like any report template)."""

from __future__ import annotations

from reformtrack.core.reports import render_docx
from reformtrack.core.reports.docx import Table

from .rules import load_rules

TEMPLATE = "contracts-annual"


def contract_docx(contract) -> bytes:
    member = contract.tenure.member
    rules = load_rules(contract.tenure.rules)
    names = {r.code: r.name_zh for r in rules.scoring}
    rows = [
        [i.code, i.name, str(i.weight), "" if i.baseline is None else str(i.baseline),
         str(i.target), "" if i.challenge is None else str(i.challenge),
         names.get(i.rule, i.rule) + ("（关键指标）" if i.is_key else "")]
        for i in contract.indicators.all()
    ]  # fmt: skip
    grades = "；".join(
        f"{g.label_zh} ≥ {g.min_score} 分，绩效年薪系数 {g.coefficient}" for g in rules.grades
    )
    split = rules.pay_split
    context = {
        "title": "经理层成员年度经营业绩责任书",
        "subtitle": f"{member.organisation.name} · {contract.year} 年度",
        "employer": member.organisation.name,
        "member": member.name, "post": member.post,
        "tenure": f"{contract.tenure.start:%Y年%m月%d日}至{contract.tenure.end:%Y年%m月%d日}",
        "year": contract.year, "pay_standard": f"{contract.pay_standard:,.2f}",
        "indicators": Table(
            headers=["代码", "指标", "权重", "基准值", "目标值", "挑战值", "计分规则"], rows=rows
        ),
        "scoring": f"考核等级：{grades}。",
        "pay_rules": (
            f"薪酬结构：基本年薪占年薪基数 {split.base}，绩效年薪占 {split.performance}、"
            f"任期激励占 {split.tenure}，后两者乘以绩效年薪系数。"
        ),
        "exit_rules": "退出条件：" + "；".join(e.text_zh for e in rules.exits) + "。",
    }  # fmt: skip
    return render_docx(TEMPLATE, context)
