"""Export what I see: the rows of a table as filtered and sorted on its page, in the columns the
user chose, as CSV or Excel. Over the row threshold the export is a job (a request never does
batch work): the job reads the same page as its owner and keeps the file on the job page."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.test import RequestFactory
from django.urls import resolve
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from .exporters import bytes_response, csv_response, xlsx_bytes
from .stored_messages import Message

FORMATS = ("csv", "xlsx")
DEFAULT_ROWS_IN_REQUEST = 5000


def rows_in_request() -> int:
    return int(getattr(settings, "TABLE_EXPORT_ROWS_IN_REQUEST", DEFAULT_ROWS_IN_REQUEST))


def table_values(table, hidden) -> tuple[list[str], list[list]]:
    """Header and rows of the visible, exportable columns, in the table's current order."""
    values = table.as_values(exclude_columns=hidden)
    header = next(values)
    return header, values


def export_response(
    request, table, state, fmt: str, *, name: str, title: str, param: str = "export"
):
    """The file for `fmt`, or a job (and its page) when the table has too many rows."""
    in_job = getattr(request, "table_export_job", False)
    if not in_job and len(table.rows) > rows_in_request():
        return redirect("core:job", pk=start_job(request, state, fmt, title, param).pk)
    header, rows = table_values(table, state.hidden)
    filename = f"{name}-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, header, rows)
    return bytes_response(filename, xlsx_bytes(str(title), header, rows))


def start_job(request, state, fmt: str, title, param: str):
    from .jobs import enqueue

    return enqueue(
        "table_export",
        user=request.user,
        function="reformtrack.core.table_exports.run_export",
        kwargs={
            "path": request.path,
            "query": f"{state.query()}&{param}={fmt}",
            "language": get_language() or "",
        },
        title=Message(gettext_noop("Export of %(table)s"), table=title),  # reader's language
    )


def run_export(*, progress, user, path: str, query: str, language: str = "") -> dict:
    """The job: the list page answers its owner's export as it would in a request (same
    scoping, filters, sort and columns, same language) and the file is kept on the job."""
    request = RequestFactory().get(f"{path}?{query}")
    request.user = user
    request.table_export_job = True
    match = resolve(path)
    with translation.override(language or settings.LANGUAGE_CODE):
        response = match.func(request, *match.args, **match.kwargs)
        if response.status_code != 200:
            raise ValueError(_("The export was refused."))
        content = (  # a streamed CSV is written here, in the owner's language
            b"".join(response.streaming_content)
            if getattr(response, "streaming", False)
            else response.content
        )
    disposition = response.get("Content-Disposition", "")
    filename = disposition.split('filename="', 1)[-1].rstrip('"') or "export"
    progress.total = 1
    progress.advance(1, filename)
    return {"file": (filename, content), "bytes": len(content)}
