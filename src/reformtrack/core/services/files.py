"""Uploaded files, for every app that keeps them: type and size checked against what the file
really is, stored with a SHA-256 under a new version number."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Extension → (content type, accepted leading bytes). Office files are ZIP (OOXML) or OLE2; OFD
# (GB/T 33190, the national e-document format) is a ZIP with OFD.xml at its root; WPS Office's own
# files (.wps text, .et sheets, .dps slides) are OLE2 or, when saved in the newer format, OOXML.
ZIP, OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ACCEPTED = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (ZIP,),
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (ZIP,)),
    ".doc": ("application/msword", (OLE,)),
    ".xls": ("application/vnd.ms-excel", (OLE,)),
    ".ofd": ("application/ofd", (ZIP,)),
    ".wps": ("application/vnd.ms-works", (OLE, ZIP)),
    ".et": ("application/vnd.ms-excel", (OLE, ZIP)),
    ".dps": ("application/vnd.ms-powerpoint", (OLE, ZIP)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}
# What a ZIP container of each kind must hold (a renamed archive of anything else is refused).
ZIP_MEMBERS = {
    ".docx": ("word/",),
    ".xlsx": ("xl/",),
    ".ofd": ("OFD.xml",),
    ".wps": ("word/",),
    ".et": ("xl/",),
    ".dps": ("ppt/",),
}
# For the upload forms' `accept` attribute and their help text.
ACCEPT_ATTRIBUTE = ",".join(ACCEPTED)


def accepted_kinds() -> str:
    """The accepted kinds, as the forms' help and the refusal name them."""
    return _("PDF, OFD, Word, Excel, WPS (.wps, .et, .dps), PNG and JPEG")


def _refuse(name: str, suffix: str):
    raise ValidationError(
        {
            "file": _("%(name)s is not the %(suffix)s file its name says.")
            % {"name": name, "suffix": suffix}
        }
    )


def _zip_holds(upload, wanted: tuple[str, ...]) -> bool:
    """Whether the ZIP upload has a member named (or under) one of `wanted`."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    return any(n == w or (w.endswith("/") and n.startswith(w)) for n in names for w in wanted)


def check_file(upload) -> str:
    """The content type of an acceptable upload; ValidationError naming what is wrong.
    Checked by content: the leading bytes, and for ZIP containers what they hold."""
    limit = settings.REFORMTRACK_EVIDENCE_MAX_BYTES
    name = PurePath(upload.name).name
    suffix = PurePath(name).suffix.lower()
    if suffix not in ACCEPTED:
        raise ValidationError(
            {
                "file": _("%(name)s: only %(kinds)s files are accepted.")
                % {"name": name, "kinds": accepted_kinds()}
            }
        )
    if upload.size > limit:
        raise ValidationError(
            {
                "file": _("%(name)s is %(size)s MB; the limit is %(limit)s MB.")
                % {"name": name, "size": round(upload.size / 2**20, 1), "limit": limit // 2**20}
            }
        )
    if upload.size == 0:
        raise ValidationError({"file": _("%(name)s is empty.") % {"name": name}})
    content_type, magics = ACCEPTED[suffix]
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in magics):
        _refuse(name, suffix)
    if (
        head.startswith(ZIP)
        and suffix in ZIP_MEMBERS
        and not _zip_holds(upload, ZIP_MEMBERS[suffix])
    ):
        _refuse(name, suffix)
    return content_type


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def store_upload(stored, upload, *, user, number: int):
    """Check `upload` and save it as `stored` (a StoredFile subclass whose owner fields are set)
    under version `number`; returns `stored`. Raises ValidationError before writing anything."""
    content_type = check_file(upload)
    stored.number = number
    stored.original_name = PurePath(upload.name).name[:255]
    stored.content_type = content_type
    stored.size = upload.size
    stored.sha256 = sha256_of(upload)
    stored.uploaded_by = user
    stored.file.save(stored.original_name, upload, save=False)
    stored.save()
    return stored
