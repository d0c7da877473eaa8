"""A document's page address (the URL it was fetched from), checked the same way on every entry
point — the upload page, the API and `docs ingest --address`: an http(s) address of at most
2,000 characters, or nothing. Django's URL check accepts every crawled address of the gold
files (Chinese paths, ports, queries); it refuses whitespace, other schemes (javascript:, ftp:)
and an address without its scheme, which the page would otherwise link to wrongly."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

MAX_ADDRESS = 2000  # Document.address.max_length
_VALID = URLValidator(schemes=["http", "https"])


def clean_address(value: str | None) -> str:
    """The address without surrounding blanks ("" when none is given); a ValidationError
    naming the page address when it is not one."""
    address = (value or "").strip()
    if not address:
        return ""
    if len(address) > MAX_ADDRESS:
        raise ValidationError(
            _("The page address is longer than %(max)s characters.") % {"max": MAX_ADDRESS},
            code="max_length",
        )
    try:
        _VALID(address)
    except ValidationError:
        raise ValidationError(
            _("The page address must be a full web address starting with http:// or https://."),
            code="invalid",
        ) from None
    return address
