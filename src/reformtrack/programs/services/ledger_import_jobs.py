"""The web ledger import as jobs: the upload is kept aside under a token, a preview job checks it
(a dry run) and a second job, once the user confirms, imports that same file. Both report
progress row by row (core/jobs), so no request reads or writes a large file itself."""

from __future__ import annotations

import json
import re
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reformtrack.core.jobs import enqueue
from reformtrack.core.stored_messages import Message
from reformtrack.orgs.models import Organisation

from ..models import Programme

TOKEN = re.compile(r"^[0-9a-f]{32}$")
KEEP_SECONDS = 24 * 3600
ERRORS_KEPT = 1000  # errors a preview job keeps in its result (the count is exact)
ERRORS_SHOWN_LIVE = 50  # errors shown on the job page while it runs


def pending_dir() -> Path:
    """Where uploads wait between preview and confirmation: beside MEDIA_ROOT, not in it."""
    default = Path(settings.MEDIA_ROOT).parent / "ledger-imports"
    path = Path(getattr(settings, "REFORMTRACK_IMPORT_DIR", default))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _owner(user, programme, root) -> dict:
    return {"user": user.pk, "programme": programme.pk, "root": root.pk if root else None}


def keep_upload(upload, *, user, programme, root) -> str:
    """Keep the uploaded file for its preview and confirmation; drop files older than a day."""
    folder = pending_dir()
    now = time.time()
    for old in folder.iterdir():
        if now - old.stat().st_mtime > KEEP_SECONDS:
            old.unlink(missing_ok=True)
    token = uuid.uuid4().hex
    with (folder / f"{token}.xlsx").open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    (folder / f"{token}.json").write_text(json.dumps(_owner(user, programme, root)))
    return token


def kept_upload(token: str, *, user, programme, root) -> Path | None:
    """The file kept under `token` for this user, programme and subtree, or None."""
    if not TOKEN.match(token or ""):
        return None
    folder = pending_dir()
    try:
        owner = json.loads((folder / f"{token}.json").read_text())
    except (OSError, ValueError):
        return None
    path = folder / f"{token}.xlsx"
    return path if owner == _owner(user, programme, root) and path.is_file() else None


def drop_upload(token: str) -> None:
    for suffix in (".xlsx", ".json"):
        (pending_dir() / f"{token}{suffix}").unlink(missing_ok=True)


def reporter(progress):
    """The importer's `progress(iterable, total, label)` hook, feeding a job's Progress: each
    phase (reading rows, writing them) counts from zero."""

    def hook(iterable, total=None, desc=""):
        progress.done = 0
        progress.total = total
        progress.at(desc)
        for item in iterable:
            yield item
            progress.advance()

    return hook


def _load(user, programme: int, root: int | None):
    from reformtrack.core.scoping import Action

    programme = Programme.objects.visible_to(user, Action.CHANGE).get(pk=programme)
    root = (
        Organisation.objects.visible_to(user, Action.CHANGE).get(pk=root)
        if root is not None
        else None
    )
    return programme, root


def _run(*, progress, user, programme, root, token, dry_run: bool):
    from ..importers import LedgerImporter

    programme, root = _load(user, programme, root)
    path = kept_upload(token, user=user, programme=programme, root=root)
    if path is None:
        raise ValueError(
            _("That preview has expired or was imported already; upload the file again.")
        )
    importer = LedgerImporter(
        user=user, programme=programme, root=root, progress=reporter(progress)
    )
    with path.open("rb") as handle:
        result = importer.run(handle, dry_run=dry_run)
    for error in result.errors[:ERRORS_SHOWN_LIVE]:
        row = "—" if error.row is None else error.row
        progress.error(f"{row} · {error.column or '—'} · {error.message}")
    return programme, root, result


def _summary(counts: dict) -> str:
    return _(
        "%(created)s new tasks, %(plan)s plan changes, %(reports)s progress reports for approval, "
        "%(conflicts)s conflicts not applied, %(unchanged)s unchanged."
    ) % {
        "created": counts.get("created", 0),
        "plan": counts.get("plan_changes", 0),
        "reports": counts.get("reports", 0),
        "conflicts": counts.get("conflicts", 0),
        "unchanged": counts.get("unchanged", 0),
    }


def import_url(programme: Programme, root, **query) -> str:
    url = reverse("programs:ledger-import", args=[programme.code])
    params = {**({"org": root.pk} if root else {}), **query}
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def preview_job(*, progress, user, programme: int, root: int | None, token: str) -> dict:
    """Check the kept file (a dry run): the result is what the preview page shows."""
    programme, root, result = _run(progress=progress, user=user, programme=programme, root=root,
                                   token=token, dry_run=True)  # fmt: skip
    return {
        "summary": _summary(result.counts)
        if result.ok
        else _("The file was refused: %(n)s problems. Nothing was written.")
        % {"n": len(result.errors)},
        "url": import_url(programme, root, preview=progress.job.pk),
        "counts": result.counts,
        "errors": [e.as_dict() for e in result.errors[:ERRORS_KEPT]],
        "error_count": len(result.errors),
        "rows": result.page_rows,
        "hidden_rows": result.hidden_rows,
        "token": token if result.ok and result.preview.changes else "",
    }


def import_job(*, progress, user, programme: int, root: int | None, token: str) -> dict:
    """Import the kept file the user confirmed; all or nothing."""
    programme, root, result = _run(progress=progress, user=user, programme=programme, root=root,
                                   token=token, dry_run=False)  # fmt: skip
    if result.ok:
        drop_upload(token)
        return {
            "summary": _("The ledger file was imported.") + " " + _summary(result.counts),
            "url": reverse("programs:ledger", args=[programme.code]),
            "counts": result.counts,
            "conflicts": result.conflict_rows[:ERRORS_KEPT],
        }
    raise ValueError(
        _("The file was refused: %(n)s problems. Nothing was written.") % {"n": len(result.errors)}
    )


def start_preview(*, user, programme: Programme, root, upload):
    token = keep_upload(upload, user=user, programme=programme, root=root)
    return enqueue(
        "ledger_import_preview",
        user=user,
        organisation=root,
        title=Message(gettext_noop("Check ledger file %(name)s"), name=getattr(upload, "name", "")),
        function="reformtrack.programs.services.ledger_import_jobs.preview_job",
        kwargs={"programme": programme.pk, "root": root.pk if root else None, "token": token},
    )


def start_import(*, user, programme: Programme, root, token: str):
    return enqueue(
        "ledger_import",
        user=user,
        organisation=root,
        title=Message(
            gettext_noop("Import ledger file into %(programme)s"), programme=programme.code
        ),
        function="reformtrack.programs.services.ledger_import_jobs.import_job",
        kwargs={"programme": programme.pk, "root": root.pk if root else None, "token": token},
    )
