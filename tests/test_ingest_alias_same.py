"""The organisation index finds the names a text holds as testing every name would: names under
a key shared by many (中国华…, thousands at national scale) are looked up where the key occurs
rather than each searched for. Checked with a tree named as the bench's national tree on the
seed articles, the dev half of the unseen articles (never the held-back half), the bench's
copies and texts made of the tree's names (overlapping, repeated, cut at the end)."""

import collections
import random
from pathlib import Path

from benchmarks.bench_documents import FIRST, PROVINCES, SECOND, _numeral, base_texts, mutate
from reformtrack.documents.alias_index import BIG, AliasIndex
from reformtrack.documents.lexicons import substitutions
from reformtrack.documents.text.entities import search_text
from reformtrack.documents.text.normalise import normalise

DATA = Path(__file__).parent / "data" / "documents"


def _index() -> AliasIndex:
    names: dict[str, list[str]] = {"ROOT": ["国务院国有资产监督管理委员会", "State Council SASAC"]}
    for g, group in enumerate(a + b for a in FIRST for b in SECOND):
        names[f"G{g}"] = [f"中国{group}集团有限公司", f"中{group}", f"China G{g}"]
        for p, province in enumerate(PROVINCES):
            names[f"G{g}-P{p}"] = [f"中国{group}{province}有限公司", f"{group}{province}"]
            for n in range(1, 4):
                names[f"G{g}-P{p}-B{n}"] = [f"中国{group}{province}第{_numeral(n)}分公司"]
    return AliasIndex(names=names, display={})


def _made(index: AliasIndex, rng: random.Random) -> list[str]:
    """Texts of the tree's names: joined, overlapping, repeated, cut short at the end."""
    names = [name for _code, name, _not_after in index.ordered]
    out = []
    for _ in range(300):
        picked = rng.sample(names, k=rng.randint(1, 12))
        glue = rng.choice(["", "，", "和", "与中国", "中国", " "])
        text = glue.join(picked) + rng.choice(["", "。", picked[0][:-1], picked[-1][:4]])
        out.append(text)
    out += ["中国华", "中国华能", names[0], names[-1], names[0] + names[0], names[5][:-1]]
    return out


def _plain(by_pair: dict[str, list[tuple[int, tuple]]], probe: str) -> tuple:
    """Every name the probe holds, in the index's order, by testing each name; a name is tested
    only when its rarest two characters (`_by_rarest_pair`) occur in the probe, which its
    occurring implies."""
    held = {probe[i : i + 2] for i in range(len(probe) - 1)} | set(probe)
    found = [
        (position, entry)
        for pair in held
        for position, entry in by_pair.get(pair, ())
        if entry[1] in probe
    ]
    return tuple(entry for _position, entry in sorted(found))


def _by_rarest_pair(index: AliasIndex) -> dict[str, list[tuple[int, tuple]]]:
    def pairs(name: str) -> set[str]:
        return {name[i : i + 2] for i in range(max(len(name) - 1, 1))}

    counts = collections.Counter(pair for entry in index.ordered for pair in pairs(entry[1]))
    by_pair: dict[str, list[tuple[int, tuple]]] = {}
    for position, entry in enumerate(index.ordered):
        rarest = min(sorted(pairs(entry[1])), key=counts.__getitem__)
        by_pair.setdefault(rarest, []).append((position, entry))
    return by_pair


def test_the_index_finds_what_testing_every_name_finds():
    index = _index()
    assert max(len(p) for by_key in index.keys.values() for p in by_key.values()) > 50 * BIG
    rng = random.Random(5)
    paths = sorted(DATA.glob("0*.txt")) + sorted((DATA / "unseen" / "dev").glob("*.txt"))
    texts = [normalise(p.read_text(encoding="utf-8"))[0] for p in paths]
    spins = [(s.spun, s.clean) for s in substitutions()[0] if s.strong]
    bases = base_texts()
    texts += [mutate(rng.choice(bases), rng, n, spins) for n in range(150)]
    made = _made(index, rng)
    probes = [search_text(t) for t in texts] + made + [search_text(t) for t in made]
    by_pair = _by_rarest_pair(index)
    differ = [p[:40] for p in probes if index.present(p) != _plain(by_pair, p)]
    assert not differ, differ[:5]
    assert sum(bool(index.present(p)) for p in probes) > 300  # the names are found
