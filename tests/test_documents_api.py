"""REST: upload a file, search, read a document with its items and spans."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

DATA = Path(__file__).parent / "data" / "documents"
SPUN = DATA / "003_6edbb738d41674c3.txt"


def test_upload_search_and_read(api_for, people):
    office = api_for(people["reform_office"])
    url = reverse("document-list")
    upload = SimpleUploadedFile(SPUN.name, SPUN.read_bytes())
    created = office.post(url, {"file": upload}, format="multipart")
    assert created.status_code == 201 and created.json()["spun"] is True
    again = office.post(
        url, {"file": SimpleUploadedFile(SPUN.name, SPUN.read_bytes())}, format="multipart"
    )
    assert again.status_code == 200 and again.json()["id"] == created.json()["id"]
    viewer = api_for(people["viewer"])
    found = viewer.get(url, {"q": "产业链"}).json()["results"]
    assert [d["id"] for d in found] == [created.json()["id"]]
    detail = viewer.get(reverse("document-detail", args=[created.json()["id"]])).json()
    organisation = next(i for i in detail["items"] if i["kind"] == "organisation")
    assert detail["text"][organisation["start"] : organisation["end"]] == organisation["text"]
    refused = viewer.post(url, {"file": SimpleUploadedFile("a.txt", b"hello")}, format="multipart")
    assert refused.status_code == 403
    bad = office.post(url, {"file": SimpleUploadedFile("a.exe", b"MZ")}, format="multipart")
    assert bad.status_code == 400 and "unsupported" in str(bad.json())
