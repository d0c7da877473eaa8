"""Parse, validate and install a library; all or nothing, every error named with its line."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import yaml
from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import BaseModel, ValidationError

from ..models import Library
from .lines import line_index, line_of
from .schema import LibraryHeader


@dataclass(frozen=True)
class Kind:
    schema: type[BaseModel]
    install: Callable  # (document, library, user) -> None, inside the loader's transaction


_KINDS: dict[str, Kind] = {}


def register_kind(kind: str, *, schema: type[BaseModel], install: Callable) -> None:
    """Apps call this from AppConfig.ready() for each library kind they own."""
    _KINDS[kind] = Kind(schema=schema, install=install)


def registered_kinds() -> list[str]:
    return sorted(_KINDS)


class LibraryError(Exception):
    """A refused library: `errors` is a list of {"line": n | None, "field": "a.b", "message": …}."""

    def __init__(self, errors: list[dict]):
        self.errors = errors
        super().__init__("; ".join(_format(e) for e in errors))


def _format(error: dict) -> str:
    where = _("line %(line)s") % {"line": error["line"]} if error.get("line") else ""
    field = error.get("field") or ""
    parts = (where, f"{field}:" if field else "", error["message"])
    return " ".join(part for part in parts if part)


def _errors_of(exc: ValidationError, index, prefix: tuple = ()) -> list[dict]:
    errors = []
    for err in exc.errors(include_url=False):
        path = (*prefix, *err["loc"])
        errors.append(
            {
                "line": line_of(index, path),
                "field": ".".join(str(p) for p in path),
                "message": err["msg"],
            }
        )
    return errors


def is_library(text: str) -> bool:
    """Whether a YAML text has a library header (the shipped folder also holds plain data,
    such as the documents app's lexicons, that is read where it is used, not installed)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return True  # a broken library is still a library: loading it reports the error
    return isinstance(data, dict) and "library" in data


def parse_library(text: str):
    """The validated document (the kind's schema) of a YAML text, or LibraryError."""
    try:
        data = yaml.safe_load(text)
        index = line_index(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        message = str(exc).splitlines()[0]
        raise LibraryError([{"line": line, "field": "", "message": message}]) from exc
    if not isinstance(data, dict) or "library" not in data:
        raise LibraryError([{"line": 1, "field": "library", "message": _("No library header.")}])
    try:
        header = LibraryHeader.model_validate(data["library"])
    except ValidationError as exc:
        raise LibraryError(_errors_of(exc, index, ("library",))) from exc
    kind = _KINDS.get(header.kind)
    if kind is None:
        raise LibraryError(
            [
                {
                    "line": line_of(index, ("library", "kind")),
                    "field": "library.kind",
                    "message": _("Unknown library kind %(kind)s; known: %(known)s.")
                    % {"kind": header.kind, "known": ", ".join(registered_kinds())},
                }
            ]
        )
    try:
        return kind.schema.model_validate(data)
    except ValidationError as exc:
        raise LibraryError(_errors_of(exc, index)) from exc


@transaction.atomic
def install_library(text: str, *, user=None, origin: str = "") -> tuple[Library, str]:
    """Load a library; returns it with "created", "updated" or "unchanged"."""
    document = parse_library(text)
    header = document.library
    checksum = hashlib.sha256(text.encode()).hexdigest()
    library = Library.objects.select_for_update().filter(code=header.code).first()
    if library is not None:
        if library.kind != header.kind:
            raise LibraryError(
                [
                    {
                        "line": None,
                        "field": "library.code",
                        "message": _("%(code)s is already a library of another kind.")
                        % {"code": header.code},
                    }
                ]
            )
        if header.version < library.version or (
            header.version == library.version and checksum != library.checksum
        ):
            raise LibraryError(
                [
                    {
                        "line": None,
                        "field": "library.version",
                        "message": _(
                            "Version %(new)s does not follow the loaded version %(old)s: "
                            "raise the version number for a changed library."
                        )
                        % {"new": header.version, "old": library.version},
                    }
                ]
            )
        if checksum == library.checksum:
            return library, "unchanged"
        outcome = "updated"
    else:
        library = Library(code=header.code, kind=header.kind)
        outcome = "created"
    library.version = header.version
    library.name_zh = header.name_zh
    library.name_en = header.name_en
    library.checksum = checksum
    library.content = document.model_dump(mode="json")
    library.origin = origin[:300]
    library.loaded_by = user if user is not None and user.is_authenticated else None
    library.save()
    _KINDS[header.kind].install(document, library, user)
    return library, outcome
