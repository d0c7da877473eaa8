"""The header every library starts with; each kind's schema extends `LibraryDocument`."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    """Unknown keys are refused: a misspelt key must not pass silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


CODE_PATTERN = r"^[A-Z0-9][A-Z0-9_-]{0,39}$"


class LibraryHeader(Strict):
    code: str = Field(pattern=CODE_PATTERN)
    kind: str = Field(min_length=1)
    version: int = Field(ge=1)
    name_zh: str = Field(min_length=1, max_length=200)
    name_en: str = Field(min_length=1, max_length=200)
    issuer_zh: str = ""
    issuer_en: str = ""
    source: str = ""
    provenance: str = ""  # what is public and what is illustrative, in Chinese
    provenance_en: str = ""  # the same in English


class LibraryDocument(Strict):
    library: LibraryHeader
