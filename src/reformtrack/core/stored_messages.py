"""Texts written once and read in each reader's language (approval and notice titles): kept as
the English message id with its parameters and translated when shown. A parameter that reads
differently per language (an organisation's name, a status label) is kept in every language.

    notify(user=u, kind="k", title=Message(gettext_noop("Progress of %(code)s"), code="T-1"))

Rows written before (plain text only) keep showing their stored text.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _


class Message:
    """A message id (already in the catalogue: mark it with gettext_noop) and its parameters;
    parameters may be Messages, stored messages, model objects or lazy texts."""

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, **params):
        self.msgid = str(msgid)
        self.params = params

    def stored(self) -> dict:
        params = {key: _stored_param(value) for key, value in self.params.items()}
        return {"msgid": self.msgid, "params": params}

    def __str__(self) -> str:
        return render(self.stored())

    def __bool__(self) -> bool:
        return bool(self.msgid)


def _stored_param(value):
    if isinstance(value, Message):
        return value.stored()
    if isinstance(value, dict):
        return value  # already stored (a message, or a text per language)
    if isinstance(value, (int, float)) or value is None:
        return value
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = str(value)
    first = next(iter(texts.values()))
    return first if all(text == first for text in texts.values()) else {"text": texts}


def _language_text(texts: dict) -> str:
    language = (get_language() or settings.LANGUAGE_CODE).lower()
    if language in texts:
        return texts[language]
    same = [text for code, text in texts.items() if code.split("-")[0] == language.split("-")[0]]
    return same[0] if same else texts.get(settings.LANGUAGE_CODE, next(iter(texts.values()), ""))


def _param_text(value):
    if isinstance(value, dict):
        if "msgid" in value:
            return render(value)
        if "text" in value:
            return _language_text(value["text"])
    return "" if value is None else value


def render(stored: dict | None, fallback: str = "") -> str:
    """The stored message in the active language; `fallback` (the old stored text) when there
    is no message or its parameters no longer fit the translation."""
    if not stored or not stored.get("msgid"):
        return fallback
    params = {key: _param_text(value) for key, value in (stored.get("params") or {}).items()}
    text = _(stored["msgid"])
    if not params:
        return text
    try:
        return text % params
    except (KeyError, ValueError, TypeError):
        try:
            return stored["msgid"] % params
        except (KeyError, ValueError, TypeError):
            return fallback or stored["msgid"]


def as_stored(value) -> dict | None:
    """What a model keeps of `value`: the stored message of a Message, None for plain text."""
    return value.stored() if isinstance(value, Message) else None


def site_text(value, limit: int = 300) -> str:
    """`value` in the site's language, cut to `limit`: the plain text kept beside a message (for
    e-mail, search and rows read by older code)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(value)[:limit]


def stored_lines(lines) -> list | None:
    """What a model keeps of a text made of lines (a notice's body) when one of them is a
    Message: each line as its stored message or plain text; None when all are plain text."""
    lines = list(lines)
    if not any(isinstance(line, Message) for line in lines):
        return None
    return [line.stored() if isinstance(line, Message) else str(line) for line in lines]


def render_lines(stored: list | None, fallback: str = "") -> str:
    """Stored lines in the active language, one per line; `fallback` when none were kept."""
    if not stored:
        return fallback
    return "\n".join(render(line) if isinstance(line, dict) else str(line) for line in stored)


def message_property(text_attr: str, message_attr: str) -> property:
    """A model property over a text column and a message column (a property, so that
    `Model(title=…)` and `objects.create(title=…)` take it): reads render the message in the
    active language (or an older row's text); writes take a Message or plain text."""

    def read(obj) -> str:
        return render(getattr(obj, message_attr), getattr(obj, text_attr))

    def write(obj, value) -> None:
        setattr(obj, message_attr, as_stored(value))
        setattr(obj, text_attr, site_text(value if value is not None else ""))

    return property(read, write, doc=f"{message_attr} in the active language, else {text_attr}")
