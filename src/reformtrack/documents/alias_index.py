"""The organisation names ingestion looks for, built once per state of the organisation tree
rather than once per document: the lexicon's aliases and the tree's names (Simplified), longest
first, indexed by their first characters. A document looks up its own character runs in the
index, so finding the names it contains costs the length of the text, not the size of the tree
(50,701 organisations at national scale); the names found are matched by the same rules.

The index is kept per process and rebuilt when the tree's stamp (count, last id, last change)
moves, or at once when an organisation is saved or deleted in this process."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save

from .text import entities

KEY = 3  # characters of a name that index it (shorter names by all of theirs)
BIG = 16  # entries under one key past which their names are looked up where the key occurs


def tree_stamp() -> tuple:
    """Moves whenever an organisation is added, removed or saved (one aggregate query)."""
    from reformtrack.orgs.models import Organisation

    found = Organisation.objects.order_by().aggregate(
        count=Count("id"), last=Max("id"), changed=Max("updated_at")
    )
    return found["count"], found["last"], found["changed"]


@dataclass
class AliasIndex:
    """Organisation names by code (what `entities.organisations` reads), their display names,
    and the lookup from a name's first characters to its place in the longest-first order."""

    names: dict[str, list[str]]
    display: dict[str, str]
    stamp: tuple = ()
    ordered: tuple = ()
    keys: dict[int, dict[str, list[int]]] = field(default_factory=dict)
    # a key of many entries (中国华…: 5,000 at national scale) → (its names' lengths, their
    # positions by name)
    spelled: dict[str, tuple[list[int], dict[str, list[int]]]] = field(default_factory=dict)
    # per key size: a class of the characters its keys start with (5% of a text's characters
    # at national scale), where a key can occur
    openings: dict[int, re.Pattern] = field(default_factory=dict)

    def __post_init__(self):
        extra = tuple((code, tuple(names)) for code, names in self.names.items())
        self.ordered = entities._ordered(entities._org_entries(extra))
        for position, (_code, name, _not_after) in enumerate(self.ordered):
            key = name[:KEY]
            self.keys.setdefault(len(key), {}).setdefault(key, []).append(position)
        for by_key in self.keys.values():
            for key, positions in by_key.items():
                if len(positions) > BIG:
                    names: dict[str, list[int]] = {}
                    for position in positions:
                        names.setdefault(self.ordered[position][1], []).append(position)
                    self.spelled[key] = (sorted({len(name) for name in names}), names)
        for size, by_key in self.keys.items():
            first = "".join(sorted({re.escape(key[0]) for key in by_key}))
            self.openings[size] = re.compile(f"[{first}]")

    def present(self, probe: str) -> tuple:
        """The entries whose name occurs in `probe`, in longest-first order: the same as testing
        every entry, found through the runs of the probe (or, for a size of few keys, each key
        looked for). For a key of many entries, the probe's text at each place the key occurs,
        of each length its names have, is looked up among them (a name occurs where its key
        does) rather than every name searched for."""
        ordered = self.ordered
        positions: set[int] = set()
        for size, by_key in self.keys.items():
            if 8 * len(by_key) < len(probe):  # few keys of this size (2: the short names)
                keys = [key for key in by_key if key in probe]
            else:  # the probe's text of this size at each place a key's first character is
                at = [
                    m.start() for m in self.openings[size].finditer(probe, 0, len(probe) - size + 1)
                ]
                keys = {probe[i : i + size] for i in at} & by_key.keys()
            for key in keys:
                spelled = self.spelled.get(key)
                if spelled is None:
                    positions.update(p for p in by_key[key] if ordered[p][1] in probe)
                    continue
                lengths, names = spelled
                at = probe.find(key)
                while at >= 0:
                    for length in lengths:
                        if found := names.get(probe[at : at + length]):
                            positions.update(found)
                    at = probe.find(key, at + 1)
        return tuple(ordered[p] for p in sorted(positions))

    def matcher(self, probe: str):
        """(alternation, entries) for `entities.organisations`, as its own matcher builds them."""
        present = self.present(probe)
        return entities._Alternation(present), present

    def display_name(self, code: str) -> str:
        """The short (else full) Chinese name of a code in the tree; the code itself if none."""
        return self.display.get(code, code)

    def __contains__(self, code: str) -> bool:
        return code in self.names


def build(stamp: tuple = ()) -> AliasIndex:
    """Reads the tree once: every organisation's names, in the tree's order."""
    from reformtrack.orgs.models import Organisation

    rows = Organisation.objects.values_list(
        "code", "name_zh", "name_en", "short_name_zh", "short_name_en"
    )
    names, display = {}, {}
    for code, name_zh, name_en, short_zh, short_en in rows.iterator(chunk_size=5000):
        names[code] = [n for n in (name_zh, name_en, short_zh, short_en) if n]
        display[code] = short_zh or name_zh
    return AliasIndex(names=names, display=display, stamp=stamp)


_lock = threading.Lock()
_current: AliasIndex | None = None


def current() -> AliasIndex:
    """The index of the tree as it is now (rebuilt only if the tree changed since)."""
    global _current
    stamp = tree_stamp()
    with _lock:
        if _current is None or _current.stamp != stamp:
            _current = build(stamp)
        return _current


def forget(**_kwargs) -> None:
    """Drop the cached index (an organisation was saved or deleted in this process)."""
    global _current
    with _lock:
        _current = None


# Before this module is imported no index exists, so connecting here misses nothing.
post_save.connect(forget, sender="orgs.Organisation", dispatch_uid="documents:alias-index")
post_delete.connect(forget, sender="orgs.Organisation", dispatch_uid="documents:alias-index:del")
