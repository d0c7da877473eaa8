"""Evidence files: OFD and WPS accepted besides PDF/Word/Excel/PNG/JPEG, each checked by what it
contains (not by its name only); several files in one upload, all kept or none."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from reformtrack.core.services.files import check_file
from reformtrack.programs.models import EvidenceVersion, ProgressReport
from reformtrack.programs.periods import period_end_of

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def zipped(*members: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in members:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


OFD = zipped("OFD.xml", "Doc_0/Document.xml", "Doc_0/Pages/Page_0/Content.xml")


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("公文.ofd", OFD, "application/ofd"),
        ("报告.wps", OLE2, "application/vnd.ms-works"),
        ("报告.wps", zipped("word/document.xml"), "application/vnd.ms-works"),
        ("台账.et", OLE2, "application/vnd.ms-excel"),
        ("台账.et", zipped("[Content_Types].xml", "xl/workbook.xml"), "application/vnd.ms-excel"),
        ("汇报.dps", OLE2, "application/vnd.ms-powerpoint"),
        ("决议.pdf", PDF, "application/pdf"),
        ("照片.PNG", PNG, "image/png"),
    ],
)
def test_accepted_formats_by_content(name, content, kind):
    assert check_file(upload(name, content)) == kind


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("伪装.ofd", zipped("word/document.xml")),  # a zip, but no OFD.xml
        ("伪装.ofd", PDF),
        ("伪装.wps", PNG),
        ("伪装.et", zipped("word/document.xml")),  # a Word container named as a sheet
        ("伪装.docx", zipped("OFD.xml")),
        ("坏的.ofd", b"PK\x03\x04 not really a zip"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(name, content):
    with pytest.raises(ValidationError) as refused:
        check_file(upload(name, content))
    assert name in refused.value.message_dict["file"][0]


def test_an_unknown_kind_is_refused_naming_the_kinds_accepted():
    with pytest.raises(ValidationError) as refused:
        check_file(upload("程序.exe", b"MZ\x90\x00"))
    text = refused.value.message_dict["file"][0]
    assert "程序.exe" in text and "OFD" in text and "WPS" in text


def test_two_files_in_one_upload_are_both_kept(client_for, people, programme, task_of):
    task = task_of("M-1", "A-SUB")
    contributor = client_for(people["contributor"])
    response = contributor.post(
        reverse("programs:evidence-upload", args=[task.pk]),
        {"file": [upload("会议纪要.ofd", OFD), upload("工作台账.et", OLE2)], "title": ""},
    )
    assert response.status_code == 302
    kept = {v.original_name: v.content_type for v in EvidenceVersion.objects.all()}
    assert kept == {"会议纪要.ofd": "application/ofd", "工作台账.et": "application/vnd.ms-excel"}
    titles = set(EvidenceVersion.objects.values_list("evidence__title", flat=True))
    assert titles == {"会议纪要", "工作台账"}  # several files: each under its own name


def test_one_bad_file_keeps_none_and_is_named(client_for, people, programme, task_of):
    task = task_of("M-1", "A-SUB")
    contributor = client_for(people["contributor"])
    response = contributor.post(
        reverse("programs:evidence-upload", args=[task.pk]),
        {"file": [upload("好的.pdf", PDF), upload("坏的.wps", PNG)]},
    )
    assert response.status_code == 200
    assert "坏的.wps" in response.content.decode()
    assert not EvidenceVersion.objects.exists()


def test_the_report_form_takes_its_evidence_files(client_for, people, programme, task_of):
    """A report saved with two files: both filed with that report, in one step."""
    task = task_of("M-1", "A-SUB")
    contributor = client_for(people["contributor"])
    page = contributor.get(reverse("programs:report-new", args=[task.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in page and "data-upload-progress" in page
    assert "multiple" in page and ".ofd" in page and "reformtrack/uploads.js" in page
    period = period_end_of(task.programme.reporting, timezone.localdate()).isoformat()
    response = contributor.post(
        reverse("programs:report-new", args=[task.pk]),
        {
            "period": period,
            "status": "in_progress",
            "percent": "40",
            "narrative": "董事会已组建",
            "evidence": [upload("决议.pdf", PDF), upload("公文.ofd", OFD)],
        },
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get(task=task)
    filed = EvidenceVersion.objects.filter(evidence__report=report)
    assert sorted(filed.values_list("original_name", flat=True)) == ["公文.ofd", "决议.pdf"]


def test_a_bad_file_on_the_report_form_saves_nothing(client_for, people, programme, task_of):
    task = task_of("M-1", "A-SUB")
    contributor = client_for(people["contributor"])
    period = period_end_of(task.programme.reporting, timezone.localdate()).isoformat()
    response = contributor.post(
        reverse("programs:report-new", args=[task.pk]),
        {"period": period, "status": "in_progress", "percent": "40", "narrative": "x",
         "evidence": [upload("决议.pdf", PDF), upload("假的.ofd", PDF)]},
    )  # fmt: skip
    assert response.status_code == 200 and "假的.ofd" in response.content.decode()
    assert not ProgressReport.objects.exists() and not EvidenceVersion.objects.exists()
