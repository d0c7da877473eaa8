"""A document's page address (issue 20): given on the upload page, the API and `docs ingest
--address`, stored, shown as a link to the original, and its date used when the text states
none — the path `docs evaluate` scores is one a user can take. A bad address is refused naming
the field, with nothing written."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from reformtrack.core.models import AuditRecord
from reformtrack.documents import services
from reformtrack.documents.models import Document

DIGEST = Path(__file__).parent / "data" / "documents" / "004_5ad8e80663ae9ad9.txt"
ADDRESS = "http://www.sasac.gov.cn/n2588020/n2588072/2023/0512/c27865923/content.html"
UNDATED = (
    "国务院国资委召开专题会议\n\n会议强调，要深入推进国有企业改革深化提升行动，"
    "提升企业核心竞争力，增强核心功能。\n"
).encode()
DATED = (
    "国务院国资委召开专题会议\n发布时间：2022-03-01\n\n会议强调，要深入推进国有企业改革"
    "深化提升行动，提升企业核心竞争力。\n"
).encode()
BAD = ["javascript:alert(1)", "www.sasac.gov.cn/2023/0512/a.html", "http://a b.cn/", "x" * 2001]
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def nothing_written(media) -> bool:
    files = [p for p in Path(media).rglob("*") if p.is_file()]
    return (
        not Document.objects.exists()
        and not AuditRecord.objects.filter(object_type="documents.document").exists()
        and not files
    )


def post_page(client, data: bytes, address: str, name: str = "meeting.txt"):
    file = SimpleUploadedFile(name, data)
    return client.post(reverse("documents:upload"), {"file": file, "address": address})


def run(*args) -> str:
    out = StringIO()
    call_command("docs", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


# The upload page


def test_the_upload_page_takes_an_address_whose_date_serves_and_links_the_original(
    client_for, people
):
    office = client_for(people["reform_office"])
    form = office.get(reverse("documents:upload")).content.decode()
    assert 'name="address"' in form and "网页地址" in form
    assert post_page(office, UNDATED, "").status_code == 302
    assert Document.objects.get().published_on is None  # no date in the text, none given
    Document.objects.all().delete()
    response = post_page(office, UNDATED, f"  {ADDRESS} ")
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert document.address == ADDRESS and str(document.published_on) == "2023-05-12"
    page = office.get(document.get_absolute_url()).content.decode()
    link = (
        f'<a href="{ADDRESS}" rel="noopener noreferrer nofollow" target="_blank" '
        f'title="打开原网页" data-testid="address">{ADDRESS}</a>'
    )
    assert "<dt>网页地址</dt>" in page and link in page and "2023-05-12" in page
    english = office.get(document.get_absolute_url(), **EN).content.decode()
    assert "<dt>Page address</dt>" in english and 'title="Open the original page"' in english


def test_the_texts_own_date_beats_the_address_on_the_page(client_for, people):
    office = client_for(people["reform_office"])
    post_page(office, DATED, ADDRESS)
    document = Document.objects.get()
    assert str(document.published_on) == "2022-03-01" and document.address == ADDRESS


@pytest.mark.parametrize("bad", BAD)
def test_a_bad_address_on_the_page_is_refused_naming_the_field(client_for, people, bad, settings):
    office = client_for(people["reform_office"])
    response = post_page(office, UNDATED, bad)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["address"] and "网页地址" in errors["address"][0]
    assert nothing_written(settings.MEDIA_ROOT)
    response = office.post(
        reverse("documents:upload"),
        {"file": SimpleUploadedFile("a.txt", UNDATED), "address": bad},
        **EN,
    )
    assert "page address" in response.context["form"].errors["address"][0]


# The API


def test_the_api_takes_an_address_and_returns_it(api_for, people):
    office = api_for(people["reform_office"])
    url = reverse("document-list")
    created = office.post(
        url,
        {"file": SimpleUploadedFile("meeting.txt", UNDATED), "address": ADDRESS},
        format="multipart",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["address"] == ADDRESS and body["published_on"] == "2023-05-12"
    read = office.get(reverse("document-detail", args=[body["id"]])).json()
    assert read["address"] == ADDRESS
    dated = office.post(
        url,
        {"file": SimpleUploadedFile("dated.txt", DATED), "address": ADDRESS},
        format="multipart",
    )
    assert dated.status_code == 201 and dated.json()["published_on"] == "2022-03-01"
    plain = office.post(
        url, {"file": SimpleUploadedFile("plain.txt", UNDATED + b" ")}, format="multipart"
    )
    assert plain.status_code == 201 and plain.json()["address"] == ""
    assert plain.json()["published_on"] is None


@pytest.mark.parametrize("bad", BAD)
def test_a_bad_address_in_the_api_is_a_400_naming_the_field(api_for, people, bad, settings):
    office = api_for(people["reform_office"])
    refused = office.post(
        reverse("document-list"),
        {"file": SimpleUploadedFile("meeting.txt", UNDATED), "address": bad},
        format="multipart",
        **EN,
    )
    assert refused.status_code == 400
    assert list(refused.json()) == ["address"]
    assert "page address" in refused.json()["address"][0].lower()
    assert nothing_written(settings.MEDIA_ROOT)


# The command


def test_the_command_takes_an_address_and_prints_it(tree, tmp_path):
    path = tmp_path / "meeting.txt"
    path.write_bytes(UNDATED)
    row = json.loads(run("ingest", str(path), "--address", ADDRESS, "--json"))
    assert row["address"] == ADDRESS and row["published_on"] == "2023-05-12"
    assert json.loads(run("show", str(row["id"]), "--json"))["address"] == ADDRESS
    dated = tmp_path / "dated.txt"
    dated.write_bytes(DATED)
    row = json.loads(run("ingest", str(dated), "--address", ADDRESS, "--json"))
    assert row["published_on"] == "2022-03-01"


@pytest.mark.parametrize("bad", BAD)
def test_a_bad_address_on_the_command_is_refused_naming_the_option(tree, tmp_path, bad, settings):
    path = tmp_path / "meeting.txt"
    path.write_bytes(UNDATED)
    with pytest.raises(CommandError, match="^--address: 网页地址"):
        call_command("docs", "ingest", str(path), "--address", bad, stdout=StringIO())
    assert nothing_written(settings.MEDIA_ROOT)


def test_an_address_names_one_file_only(tree, tmp_path, settings):
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "a.txt").write_bytes(UNDATED)
    (folder / "b.txt").write_bytes(DATED)
    with pytest.raises(CommandError, match="one file; 2 files were given"):
        call_command("docs", "ingest", str(folder), "--address", ADDRESS, stdout=StringIO())
    assert nothing_written(settings.MEDIA_ROOT)


# The service


def test_a_digest_keeps_its_address_and_its_entries_have_none(tree):
    digest, created = services.ingest(
        user=None, data=DIGEST.read_bytes(), filename=DIGEST.name, address=ADDRESS
    )
    assert created and digest.address == ADDRESS
    assert str(digest.published_on) == "2021-08-08"  # its period's end, stated in the text
    entries = list(digest.entries.all())
    assert len(entries) == 22 and all(e.address == "" for e in entries)


def test_the_service_refuses_a_bad_address_as_the_address_field(tree, settings):
    with pytest.raises(ValidationError) as refused:
        services.ingest(user=None, data=UNDATED, filename="a.txt", address="ftp://x.cn/a")
    assert list(refused.value.message_dict) == ["address"]
    with translation.override("en"):
        files = [(UNDATED, "a.txt", "javascript:alert(1)")]
        outcome = next(services.ingest_many(user=None, files=files))
    assert outcome.document is None and "page address" in outcome.error.lower()
    assert nothing_written(settings.MEDIA_ROOT)
