"""The lexicons the text rules read (substitution tables, aliases, labels), loaded once from
`libraries/lexicons/*.yaml` and checked against a small schema so a typo fails loudly."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

LEXICON_DIR = Path(__file__).resolve().parent.parent / "libraries" / "lexicons"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Substitution(_Strict):
    spun: str
    clean: str
    strong: bool = False


class OrgAliases(_Strict):
    code: str
    aliases: list[str]
    not_after: str = ""  # characters that, before an alias, make it another organisation
    parent: str = ""  # the group's code: named together, the group is the likelier publisher
    executives: list[str] = []  # names of its executives, in any script (source inference)


class ProgrammeNames(_Strict):
    code: str
    programme: str = ""
    names: list[str]


class LexiconError(ValueError):
    pass


def _load(name: str) -> dict:
    path = LEXICON_DIR / name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(f"{path}: {exc}") from exc
    if not isinstance(data, dict) or "lexicon" not in data:
        raise LexiconError(f"{path}: no 'lexicon' header")
    return data


@cache
def substitutions() -> tuple[list[Substitution], list[str]]:
    data = _load("spun-zh.yaml")
    return [Substitution(**s) for s in data["substitutions"]], list(data.get("protect", []))


@cache
def organisation_aliases() -> list[OrgAliases]:
    return [OrgAliases(**o) for o in _load("organisations.yaml")["organisations"]]


@cache
def programme_names() -> list[ProgrammeNames]:
    return [ProgrammeNames(**p) for p in _load("programmes.yaml")["programmes"]]


@cache
def metadata() -> dict:
    return _load("metadata.yaml")
