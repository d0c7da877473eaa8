"""Spun-text repair on swaps the shipped table does not hold: clean Chinese texts (the shipped
seeds, the demo documents, the clean articles of the unseen dev half; never the test half) are
spun with a held-out list of official-word synonyms (below, as data; none is in spun-zh.yaml),
the texts are split into a learning half and a measuring half, the learner sees only the
learning half's aligned clean/spun pairs (as it would in a cluster holding both copies), and
repair is measured on the measuring half's spun copies (share of swaps restored) and on its
clean copies and the learning half's (false edits). The n-gram model is trained on the clean
library = the learning half's clean texts only. Prints JSON; `--out` keeps it."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

# clean official word → a spinner's synonym. Real near-synonyms as spinner tools pick them;
# checked at start-up: no spun form or clean form is an entry of the shipped table.
HELD_OUT = {
    "实现": "达成", "推进": "鞭策", "制度": "轨制", "目标": "目的", "推动": "鼓动",
    "提升": "晋升", "建设": "修建", "全面": "周全", "建立": "创立", "考核": "查核",
    "坚持": "对峙", "岗位": "职位", "加快": "加紧", "业务": "生意", "薪酬": "酬劳",
    "深化": "加深", "机制": "机理", "增长": "滋长", "优化": "改良", "持续": "延续",
    "完成": "完结", "激励": "鼓舞", "战略": "计谋", "人才": "人材", "完善": "完美",
    "活力": "生机", "突出": "凸起", "收入": "进款", "治理": "统治", "服务": "效劳",
    "重点": "要点", "经营": "谋划", "项目": "名目", "组织": "构造", "激发": "激起",
    "重大": "严重", "打造": "营建", "取得": "博得", "达到": "抵达", "指标": "指针",
    "特色": "特质", "能力": "本领", "召开": "召集", "要求": "请求", "明确": "明白",
    "业绩": "功绩", "城市": "都会", "现代": "今世", "提高": "进步", "市场": "商场",
    "深入": "深切", "责任": "义务", "行业": "行当", "成效": "功效", "作用": "感化",
    "制定": "订定", "退出": "撤出", "问题": "题目", "生产": "出产", "支持": "撑持",
    "做好": "办好", "员工": "雇员", "确保": "担保", "单位": "单元", "构建": "构筑",
    "培育": "造就", "领域": "范畴", "调整": "调剂", "精神": "精力", "贡献": "孝敬",
    "参与": "介入", "力量": "气力", "健全": "康健", "核心": "焦点", "原则": "准则",
    "循环": "轮回", "制造": "缔造", "方式": "体式格局", "切实": "确切", "覆盖": "笼罩",
    "贯彻": "贯串", "扎实": "踏实", "决定": "决意", "标准": "尺度", "利用": "操纵",
    "突破": "冲破", "措施": "步调", "合作": "互助", "强调": "夸大", "优势": "上风",
    "学习": "进修", "风险": "危害", "资产": "财产", "经验": "履历", "综合": "归纳",
    "产品": "产物", "成功": "乐成", "稳定": "不变", "分配": "分派", "奖励": "嘉奖",
    "进展": "希望", "效率": "服从", "规范": "榜样", "合理": "公道", "公开": "果真",
    "整体": "团体", "升级": "进级", "协调": "和谐", "困难": "坚苦", "保持": "连结",
}  # fmt: skip


# Clean official sentences that use the spinners' forms as ordinary words (written for this
# benchmark): a repair here is a false edit.
ORDINARY_USES = [
    "希望广大干部职工坚定信心，全力以赴完成全年目标任务。",
    "对发现的严重违纪问题，依规依纪严肃处理。",
    "会议的目的是总结经验、查找差距、部署下一阶段工作。",
    "科技进步贡献率明显提高，自主创新能力不断增强。",
    "推动企业履行社会义务，积极参与乡村振兴。",
    "坚持稳中求进工作总基调不变，保持政策连续性稳定性。",
    "先进团体和个人受到表彰，发挥了示范引领作用。",
    "聚焦主责主业，不得在非主业领域盲目扩张，不做与主业无关的生意。",
    "将数字经济纳入重点考核范畴，明确准则和尺度。",
    "各部门要统一步调，形成工作合力，防止多头介入。",
    "严禁巧立名目发放津贴补贴，深切把握政策要求。",
    "讲明白改革的目的和意义，回应职工的合理请求。",
    "现代化都会圈建设加快推进，城市功能持续完善。",
    "企业要以高质量党建引领高质量发展，做到本领过硬。",
    "提高政治站位，增强机遇意识和风险意识，把握生机与活力。",
    "坚决防止出现颠覆性错误，避免严重后果。",
    "创立于1952年的老字号企业完成了混合所有制改革。",
    "加深对新发展理念的理解，是做好工作的前提。",
    "完结的项目要及时组织验收，形成闭环管理。",
    "对查核发现的问题，逐项建立台账，限期整改到位。",
    "鼓舞干部担当作为，激发广大职工干事创业的热情。",
    "统治阶级、改良主义等历史概念在理论学习中要准确把握。",
    "进修学习结束后，学员返回原单位继续工作。",
    "会议召集各成员单位负责同志研究部署有关工作。",
    "构筑安全屏障，夯实安全生产基础。",
    "康健的企业文化是企业持续发展的重要保障。",
    "设立专门机构，配备专职人员，明确职位职责。",
    "研究制定激励约束机制，做到奖惩分明、有效管用。",
]


# A second held-out list and its ordinary uses, written on 2026-12-07 after the document-level
# threshold had been chosen on the lists above and before this list was run even once: the
# figure it gives is the honest out-of-sample one (`--list fresh`). Twelve pairs written for it
# were dropped unrun because the shipped table holds one of their words (check_held_out).
FRESH = {
    "部署": "布置", "显著": "明显", "不断": "一直", "开展": "展开", "推广": "推行",
    "引领": "引导", "监督": "监视", "管理": "办理", "规模": "范围", "效益": "收益",
    "营业": "停业", "资本": "本钱", "投资": "出资", "布局": "结构", "数字化": "数码化",
    "转型": "转变", "质量": "品质", "全球": "环球", "表示": "透露表现", "认为": "以为",
    "执行": "实行", "部门": "部分", "国家": "国度", "政府": "当局", "群众": "民众",
    "协同": "协作", "专项": "专门", "行动": "举动", "监测": "监控", "力度": "强度",
    "基础": "根本", "环节": "关节", "价值": "代价", "能源": "动力", "模式": "形式",
    "水平": "程度", "逐步": "慢慢", "全年": "整年", "目前": "今朝", "此外": "另外",
    "其中": "此中", "主动": "自动", "充分": "充实", "广泛": "普遍", "大力": "鼎力",
    "严格": "严酷", "严肃": "严厉", "及时": "实时",
}  # fmt: skip

FRESH_ORDINARY_USES = [
    "一直以来，公司坚持以客户为中心，不要以为改革已经完成。",
    "另外，会议还审议了年度预算，按计划完成年度任务。",
    "生产线实现自动控制，平安建设取得实效。",
    "提升产品品质和服务水平，数字化程度明显提高，成效明显。",
    "优化产业结构，扩大试点范围，投资收益同比增长。",
    "布置下一阶段工作，全面展开调研，推行经理层任期制和契约化管理。",
    "引导企业加大研发投入，研发投入强度达到2.5%。",
    "依法办理相关手续，对违规门店停业整顿。",
    "依法履行国有资本出资人职责，实行全面预算管理。",
    "部分企业存在短板，要加快转变政府职能。",
    "服务广大民众，加强跨部门协作，促进文化交融。",
    "成立专门工作组，保证工程质量，从根本上解决问题。",
    "加强要害部位安全监控，实时监测重点数据。",
    "决不能以牺牲环境为代价换取一时的增长，要增强发展动力。",
    "采取多种形式充实干部队伍，这一问题普遍存在。",
    "严厉打击违法违规行为，鼓励职工钻研业务技术。",
]


def clean_texts() -> dict[str, str]:
    """Simplified Chinese texts as shipped clean, normalised (noise repairs only)."""
    import yaml

    from reformtrack.documents.text.detect import detect, to_simplified
    from reformtrack.documents.text.normalise import normalise

    paths = [*sorted(Path("/work/shared/seeds").glob("*.txt"))]
    paths += sorted((ROOT / "src/reformtrack/documents/demo_data").glob("*.txt"))
    dev = ROOT / "tests/data/documents/unseen/dev"
    gold = yaml.safe_load((dev / "gold.yaml").read_text())
    records = gold if isinstance(gold, list) else gold["documents"]
    paths += [dev / r["file"] for r in records if r.get("decay") == "clean"]
    out: dict[str, str] = {}
    for path in paths:
        if not path.exists():
            continue
        text, _repairs = normalise(path.read_text(encoding="utf-8"))
        _language, script = detect(text)
        if script not in ("Hans", "Hant") or path.name.startswith("003_"):
            continue  # 003 is the shipped spun copy: not clean
        simplified = to_simplified(text)
        if simplified not in out.values():  # the demo documents repeat the seeds
            out[f"{path.parent.name}/{path.name}"] = simplified
    return out


def spin(text: str, swaps: dict[str, str]) -> tuple[str, list[tuple[int, str, str]]]:
    """Replace each word jieba cuts that the list holds; (position in the spun text, spun,
    clean) of each swap."""
    from reformtrack.documents.text.segment import _jieba

    out, done, position = [], [], 0
    for word in _jieba().cut(text):
        if word in swaps:
            done.append((position, swaps[word], word))
            word = swaps[word]
        out.append(word)
        position += len(word)
    return "".join(out), done


LISTS = {"first": (HELD_OUT, ORDINARY_USES), "fresh": (FRESH, FRESH_ORDINARY_USES)}


def check_held_out(held_out: dict[str, str]) -> None:
    from reformtrack.documents.lexicons import substitutions

    subs, protect = substitutions()
    table = {s.spun for s in subs} | {s.clean for s in subs} | set(protect)
    clash = [w for pair in held_out.items() for w in pair if w in table]
    spun_as_clean = set(held_out.values()) & set(held_out)
    if clash or spun_as_clean:
        raise SystemExit(f"held-out list overlaps the table: {clash} {spun_as_clean}")


def main(margin: float | None = None, context: float | None = None, which: str = "first") -> dict:
    from reformtrack.documents.text.ngram import CharModel
    from reformtrack.documents.text.spun_learn import Swap, align, repair

    held_out, ordinary_uses = LISTS[which]
    check_held_out(held_out)
    texts = clean_texts()
    names = sorted(texts)
    learn_names = [n for i, n in enumerate(names) if i % 3 != 2]  # two thirds learn
    measure_names = [n for i, n in enumerate(names) if i % 3 == 2]
    learned: Counter = Counter()
    started = time.perf_counter()
    for name in learn_names:
        spun, _done = spin(texts[name], held_out)
        learned += align(texts[name], spun)
    learn_seconds = time.perf_counter() - started
    swaps = list(learned)
    model = CharModel(texts[n] for n in learn_names)
    opts = {} if margin is None else {"margin": margin}
    if context is not None:
        opts["context_margin"] = context
    correct_pairs = {Swap(s, c) for c, s in held_out.items()}

    restored = total = learnable = wrong_in_spun = 0
    wrong_examples: Counter = Counter()
    misses: Counter = Counter()
    for name in measure_names:
        spun, done = spin(texts[name], held_out)
        result = repair(spun, swaps, model, **opts)
        total += len(done)
        learnable += sum(Swap(s, c) in learned for _p, s, c in done)
        restored_here = 0
        at = _input_starts(result.changes) if result.spun else {}
        for position, s, c in done:
            if _restored(at, position, s, c):
                restored_here += 1
            else:
                misses[f"{s}→{c}"] += 1
        restored += restored_here
        swapped_at = [(p, p + len(s)) for p, s, _c in done]
        for start, change in at.items():  # a change where the spinner changed nothing
            end = start + len(change["before"])
            if not any(a < end and start < b for a, b in swapped_at):
                wrong_in_spun += 1
                wrong_examples[f"{change['before']}→{change['after']}"] += 1

    false_edits = chars = opportunities = 0
    edited: Counter = Counter()
    clean_set = {name: texts[name] for name in names}  # the measuring and learning halves
    # each sentence is a clean text of its own, as such a word turns up in a clean article
    clean_set.update({f"ordinary-uses/{i}": line for i, line in enumerate(ordinary_uses)})
    for text in clean_set.values():
        result = repair(text, swaps, model, **opts)
        chars += len(text)
        opportunities += sum(text.count(form) for form in {x.spun for x in swaps})
        false_edits += len(result.changes)
        edited.update(f"{c['before']}→{c['after']}" for c in result.changes)
    ungated_edits: Counter = Counter()  # every decision, the document-level check switched off
    for text in clean_set.values():
        changes = repair(text, swaps, model, flag_at=0, **opts).changes
        ungated_edits.update(f"{c['before']}→{c['after']}" for c in changes)
    ungated = sum(ungated_edits.values())
    return {
        "list": which,
        "held_out_pairs": len(held_out),
        "texts": {"learning": len(learn_names), "measuring": len(measure_names)},
        "learned_swaps": len(swaps),
        "learned_correct": len(set(swaps) & correct_pairs),
        "learned_other": len(set(swaps) - correct_pairs),
        "swaps_in_measured_copies": total,
        "swaps_whose_pair_was_learned": learnable,
        "restored": restored,
        "restore_rate": round(restored / total, 4) if total else None,
        "restore_rate_of_learnable": round(restored / learnable, 4) if learnable else None,
        "wrong_edits_in_spun_copies": wrong_in_spun,
        "wrong_edits_in_spun_copies_examples": dict(wrong_examples.most_common(10)),
        "clean_chars": chars,
        "clean_occurrences_of_learned_forms": opportunities,
        "false_edits": false_edits,
        "false_edit_rate": round(false_edits / opportunities, 4) if opportunities else 0.0,
        "false_edits_without_document_check": ungated,
        "false_edit_rate_without_document_check": (
            round(ungated / opportunities, 4) if opportunities else 0.0
        ),
        "false_edit_examples": dict(edited.most_common(10)),
        "false_edit_examples_without_document_check": dict(ungated_edits.most_common(10)),
        "missed_examples": dict(misses.most_common(10)),
        "learn_seconds": round(learn_seconds, 2),
        "goals": {"restore_rate": ">= 0.95", "false_edit_rate": "<= 0.01"},
    }


def _input_starts(changes: list[dict]) -> dict[int, dict]:
    """Where each change began in the text before repair → the change."""
    out, shift = {}, 0
    for c in sorted(changes, key=lambda c: c["start"]):
        out[c["start"] - shift] = c
        shift += len(c["after"]) - len(c["before"])
    return out


def _restored(at: dict[int, dict], position: int, spun: str, clean: str) -> bool:
    """A change covers the swapped word and puts the clean word in its place (a learned
    form may be wider than the word: 加深晋升 → 深化提升)."""
    for start, change in at.items():
        before, after = change["before"], change["after"]
        left = position - start
        if left < 0 or position + len(spun) > start + len(before):
            continue
        if len(before) == len(after):
            if after[left : left + len(clean)] == clean:
                return True
        elif clean in after:
            return True
    return False


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--margin", type=float, help="log10 margin (default: the shipped one)")
    parser.add_argument("--context", type=float, help="log10 context margin (default: shipped)")
    parser.add_argument(
        "--list",
        choices=sorted(LISTS),
        default="first",
        help="which held-out synonym list to spin with (fresh: never tuned on)",
    )
    args = parser.parse_args()
    report = main(args.margin, args.context, args.list)
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
