"""Owned documents and briefs (issue 16): an enterprise's uploads are read by its subtree and
the supervisors above it, never by a sibling group; the supervisor's public policies by everyone
under it; the supervisor's brief is edited and published by the supervisor's office alone and,
once published, read by everyone under it. Refusals name nothing the user may not see.
Ingestion leaves no file without its row, and files are 0600 in 0700 folders. A search too
long is a 400 with its reason, never a server error."""

from __future__ import annotations

import datetime as dt
import stat
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from reformtrack.documents import briefs, ingestion, selectors, services
from reformtrack.documents.models import Brief, BriefEntry, Document
from reformtrack.orgs import services as org_services
from reformtrack.orgs.models import Organisation

from ._demo_once import built_once
from .conftest import build_tree

DATA = Path(__file__).parent / "data" / "documents"
DIGEST = DATA / "004_5ad8e80663ae9ad9.txt"
WEEK = dt.date(2021, 8, 2)
PHISHING = "https://phish.example/login"
PRIVATE = "乙集团内部新闻\n发布时间：2021-08-03\n乙集团内部：本季度利润下降百分之十二。".encode()
LONG = " ".join(f"word{i}" for i in range(1000))


def docs(*args, user="") -> str:
    out = StringIO()
    extra = ["--user", user] if user else []
    call_command("docs", *args, *extra, stdout=out, stderr=StringIO())
    return out.getvalue()


def upload(client, name: str, data: bytes):
    return client.post(
        reverse("document-list"), {"file": SimpleUploadedFile(name, data)}, format="multipart"
    )


@pytest.fixture
def private(api_for, people):
    """An upload of group B's reform office: group B's own."""
    created = upload(api_for(people["outsider"]), "b-private.txt", PRIVATE)
    assert created.status_code == 201 and created.json()["owner"] == "GROUP-B"
    return Document.objects.get(pk=created.json()["id"])


# --- documents ----------------------------------------------------------------------------


def test_a_sibling_group_never_reads_an_upload(private, api_for, client_for, people, tree):
    outsider_sees = api_for(people["outsider"]).get(reverse("document-detail", args=[private.pk]))
    assert outsider_sees.status_code == 200  # its own
    for who in ("reform_office", "contributor", "viewer"):  # group A: a sibling group
        api = api_for(people[who])
        assert api.get(reverse("document-detail", args=[private.pk])).status_code == 404
        assert private.pk not in [
            d["id"] for d in api.get(reverse("document-list")).json()["results"]
        ]
        assert not api.get(reverse("document-list"), {"q": "利润下降"}).json()["results"]
        page = client_for(people[who]).get(reverse("documents:document", args=[private.pk]))
        assert page.status_code == 404 and "乙集团" not in page.content.decode()
        listing = client_for(people[who]).get(reverse("documents:list"), {"q": "乙集团"})
        assert "b-private.txt" not in listing.content.decode()
    item = private.items.first()
    refused = client_for(people["reform_office"]).post(
        reverse("documents:item-review", args=[item.pk]), {"accept": "1"}
    )
    assert refused.status_code == 404
    assert selectors.search(user=people["supervisor_admin"], query="利润下降").get() == private
    with pytest.raises(CommandError):
        docs("show", str(private.pk), user="office_a")
    assert docs("search", "乙集团", "--json", user="office_a").strip() == "[]"
    assert f'"id": {private.pk}' in docs("search", "乙集团", "--json", user="sup")


def test_the_same_file_uploaded_by_another_group_is_its_own_copy(private, api_for, people):
    again = upload(api_for(people["reform_office"]), "copy.txt", PRIVATE)
    assert again.status_code == 201 and again.json()["id"] != private.pk
    assert again.json()["owner"] == "GROUP-A"
    assert upload(api_for(people["outsider"]), "b.txt", PRIVATE).json()["id"] == private.pk


def test_an_upload_goes_only_where_the_user_reports(api_for, people, tree):
    contributor = api_for(people["contributor"])
    response = contributor.post(
        reverse("document-list"),
        {"file": SimpleUploadedFile("x.txt", b"hello world"), "owner": "GROUP-B"},
        format="multipart",
    )
    assert response.status_code == 400 and "乙集团" not in response.content.decode()
    with pytest.raises(PermissionDenied) as refused:
        services.ingest(user=people["contributor"], data=b"x", filename="x.txt",
                        owner=tree["GROUP-B"])  # fmt: skip
    assert "乙集团" not in str(refused.value) and "GROUP-B" not in str(refused.value)
    assert not Document.objects.exists()


# --- the supervisor's brief -----------------------------------------------------------------


class TestSupervisorBrief:
    """The public articles and the supervisor's draft brief, as the demo loads them: built once
    for the tests of this class (each test's writes roll back to it, tests/_demo_once.py); the
    module's other tests never see it."""

    @pytest.fixture(scope="class")
    @classmethod
    def built(cls, django_db_setup, django_db_blocker, tmp_path_factory):
        def build():  # in the default UI language, as every test starts (conftest)
            translation.activate(settings.LANGUAGE_CODE)
            orgs = build_tree()
            for path in sorted(DATA.glob("0*.txt")):
                services.ingest(
                    user=None, data=path.read_bytes(), filename=path.name, owner=orgs["SASAC"]
                )
            return orgs, briefs.build_brief(user=None, week=WEEK, owner=orgs["SASAC"]).pk

        with built_once(django_db_blocker, tmp_path_factory.mktemp("brief"), build) as pair:
            yield pair

    @pytest.fixture
    def tree(self, built, db):
        return {code: Organisation.objects.get(pk=org.pk) for code, org in built[0].items()}

    @pytest.fixture
    def supervisor_brief(self, built, people):
        return Brief.objects.get(pk=built[1])

    def test_the_supervisors_public_documents_are_read_by_everyone_under_it(
        self, supervisor_brief, people, make_user, tree, api_for
    ):
        public = Document.objects.filter(parent=None).count()
        for who in ("supervisor_admin", "reform_office", "contributor", "viewer", "outsider"):
            listed = selectors.search(user=people[who]).filter(parent=None)
            assert listed.count() == public, who
        other_tree = make_user("prov_viewer", role="viewer", org=tree["PROV"])
        assert not selectors.search(user=other_tree).exists()
        document = Document.objects.filter(parent=None).first()
        other = api_for(other_tree).get(reverse("document-detail", args=[document.pk]))
        assert other.status_code == 404

    def test_a_group_office_cannot_touch_the_supervisors_brief(
        self, supervisor_brief, client_for, api_for, people
    ):
        brief, office_b = supervisor_brief, client_for(people["outsider"])
        entry = brief.entries.first()
        assert office_b.get(brief.get_absolute_url()).status_code == 404  # a draft above: unseen
        api = api_for(people["outsider"])
        detail = reverse("brief-detail", args=[brief.pk])
        assert api.get(detail).status_code == 404
        assert api.patch(detail, {"status": "published"}, format="json").status_code in (404, 405)
        assert not api.get(reverse("brief-list")).json()["results"]
        assert _edit(office_b, brief, entry).status_code == 404
        publish = reverse("documents:brief-publish", args=[brief.pk])
        assert office_b.post(publish).status_code == 404
        assert brief.pk not in [b.pk for b in Brief.objects.visible_to(people["outsider"])]
        with pytest.raises(PermissionDenied):
            briefs.update_entry(user=people["outsider"], entry=entry, link=PHISHING)
        with pytest.raises(PermissionDenied):
            briefs.publish(user=people["outsider"], brief=brief)
        entry.refresh_from_db()
        brief.refresh_from_db()
        assert entry.link != PHISHING and brief.status == "draft"

    def test_the_supervisors_office_publishes_and_everyone_under_it_reads(
        self, supervisor_brief, client_for, api_for, people, make_user, tree
    ):
        brief, sasac = supervisor_brief, client_for(people["supervisor_admin"])
        entry = brief.entries.get(part="policy", position=1)
        page = sasac.get(brief.get_absolute_url()).content.decode()
        assert 'data-testid="edit"' in page
        sasac.post(
            brief.get_absolute_url(),
            {f"e{entry.pk}-title": entry.title, f"e{entry.pk}-analysis": "监管机构的简析。"},
        )
        sasac.post(reverse("documents:brief-publish", args=[brief.pk]))
        brief.refresh_from_db()
        assert brief.status == "published"
        for who in ("viewer", "contributor", "outsider"):  # organisations under the supervisor
            client = client_for(people[who])
            page = client.get(brief.get_absolute_url())
            assert page.status_code == 200 and 'data-testid="edit"' not in page.content.decode()
            html = client.get(reverse("documents:brief-download", args=[brief.pk, "html"]))
            assert "监管机构的简析。" in html.content.decode()
        office_b = client_for(people["outsider"])  # reads it now, still may not change it
        api = api_for(people["outsider"])
        detail = reverse("brief-detail", args=[brief.pk])
        read = api.get(detail).json()
        assert read["owner"] == "SASAC" and read["status"] == "published"
        link = {"entries": [{"link": PHISHING}]}
        assert api.patch(detail, link, format="json").status_code in (403, 405)
        refused = _edit(office_b, brief, entry)
        assert refused.status_code == 403
        refused_publish = office_b.post(reverse("documents:brief-publish", args=[brief.pk]))
        assert refused_publish.status_code == 403
        for response in (refused, refused_publish):
            text = response.content.decode()
            assert brief.title not in text and "国资委" not in text
        entry.refresh_from_db()
        assert entry.link != PHISHING
        other_tree = client_for(make_user("prov_viewer", role="viewer", org=tree["PROV"]))
        assert other_tree.get(brief.get_absolute_url()).status_code == 404

    def test_a_groups_brief_is_its_own(self, supervisor_brief, client_for, people):
        office_a = client_for(people["reform_office"])
        office_a.post(reverse("documents:briefs"), {"week": "2021-08-04", "language": "zh-Hans"})
        own = Brief.objects.exclude(pk=supervisor_brief.pk).get()
        assert own.owner.code == "GROUP-A" and own.entries.exists()  # the public documents
        assert client_for(people["outsider"]).get(own.get_absolute_url()).status_code == 404
        briefs.publish(user=people["reform_office"], brief=own)
        assert client_for(people["outsider"]).get(own.get_absolute_url()).status_code == 404
        assert client_for(people["contributor"]).get(own.get_absolute_url()).status_code == 200

    def test_the_command_builds_a_brief_as_a_user_within_their_scope(
        self, supervisor_brief, tmp_path
    ):
        out = tmp_path / "b.html"
        docs("brief", "--week", "2021-08-02", "-o", str(out), user="office_b")
        assert Brief.objects.latest("pk").owner.code == "GROUP-B"
        with pytest.raises(CommandError):
            docs(
                "brief", "--week", "2021-08-02", "-o", str(out), "--owner", "SASAC", user="office_b"
            )

    def test_a_long_search_is_a_400_with_its_reason(
        self, supervisor_brief, client_for, api_for, people
    ):
        page = client_for(people["viewer"]).get(reverse("documents:list"), {"q": LONG})
        assert page.status_code == 400 and "200" in page.content.decode()
        many = " ".join(f"w{i}" for i in range(40))  # short, but too many words
        page = client_for(people["viewer"]).get(reverse("documents:list"), {"q": many})
        assert page.status_code == 400 and "30" in page.content.decode()
        for query in (LONG, many):
            response = api_for(people["viewer"]).get(reverse("document-list"), {"q": query})
            assert response.status_code == 400 and "q" in response.json()
        with pytest.raises(CommandError):
            docs("search", LONG)
        fine = api_for(people["viewer"]).get(reverse("document-list"), {"q": "产业链 安全"})
        assert fine.status_code == 200 and fine.json()["results"]


def test_a_private_upload_stays_out_of_the_supervisors_brief(private, tree):
    brief = briefs.build_brief(user=None, week=WEEK, owner=tree["SASAC"])
    assert not brief.entries.filter(document=private).exists()
    assert "利润下降" not in briefs.render(brief, "html").decode()


def _edit(client, brief: Brief, entry: BriefEntry):
    return client.post(
        brief.get_absolute_url(),
        {f"e{entry.pk}-title": entry.title, f"e{entry.pk}-link": PHISHING},
    )


def test_a_refusal_on_an_organisation_does_not_name_it(tree, people):
    with pytest.raises(PermissionDenied) as refused:
        org_services.create_organisation(
            user=people["reform_office"], parent=tree["GROUP-B"], code="B-NEW",
            name_zh="乙新公司", kind="subsidiary",
        )  # fmt: skip
    assert "乙集团" not in str(refused.value) and "Group B" not in str(refused.value)


# --- ingestion: no orphan file, private modes ----------------------------------------------


def _files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "documents"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize("interruption", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_an_ingestion_failing_after_the_file_write_leaves_no_file(tree, monkeypatch,
                                                                  interruption):  # fmt: skip
    def fail(_documents):  # copies are looked up after the digest's file was written
        assert _files(), "the file is written before the copies are looked up"
        raise interruption

    monkeypatch.setattr(ingestion, "_stored_copies", fail)
    with pytest.raises(type(interruption)):
        services.ingest(user=None, data=DIGEST.read_bytes(), filename=DIGEST.name)
    assert not Document.objects.exists() and _files() == []
    monkeypatch.undo()
    document, created = services.ingest(user=None, data=DIGEST.read_bytes(), filename=DIGEST.name)
    assert created and [p.name for p in _files()] == [Path(document.file.name).name]


def test_orphans_left_by_a_killed_process_are_listed_and_removed(tree):
    document, _created = services.ingest(user=None, data=DIGEST.read_bytes(), filename="a.txt")
    left = Path(settings.MEDIA_ROOT) / "documents" / "2021" / "killed.txt"  # as SIGKILL leaves
    left.parent.mkdir(parents=True, exist_ok=True)
    left.write_bytes(b"x")
    assert docs("orphans").split() == ["documents/2021/killed.txt"]
    docs("orphans", "--delete")
    assert not left.exists() and Path(document.file.path).exists()
    assert "no orphan files" in docs("orphans")


def test_document_files_are_private(tree):
    document, _created = services.ingest(user=None, data=DIGEST.read_bytes(), filename="a.txt")
    path = Path(document.file.path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    folder = path.parent
    while folder != Path(settings.MEDIA_ROOT):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
        folder = folder.parent


# --- the demo and the command as a user ----------------------------------------------------


def test_the_demo_gives_the_supervisor_its_documents_and_brief(db, client_for):
    from django.contrib.auth import get_user_model

    from reformtrack.documents import demo
    from reformtrack.orgs import demo as orgs_demo

    orgs_demo.load()
    demo.load()
    assert set(Document.objects.values_list("owner__code", flat=True)) == {"SASAC"}
    brief = Brief.objects.get()
    assert brief.owner.code == "SASAC"
    users = {u.username: u for u in get_user_model().objects.all()}
    sinochem = client_for(users["sinochem_office"])
    assert sinochem.get(brief.get_absolute_url()).status_code == 404
    assert selectors.search(user=users["sinochem_office"]).exists()  # public policies
    assert not selectors.search(user=users["jiangsu_viewer"]).exists()  # another supervisor's
    entry = brief.entries.first()
    assert _edit(sinochem, brief, entry).status_code == 404
    entry.refresh_from_db()
    assert entry.link != PHISHING


def test_the_command_ingests_for_the_users_office(tree, people, tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(PRIVATE)
    row = docs("ingest", str(path), "--json", user="contrib_a")
    document = Document.objects.get(pk=int(row.split('"id": ')[1].split(",")[0]))
    assert document.owner.code == "A-SUB"
    with pytest.raises(CommandError) as refused:
        docs("ingest", str(path), "--owner", "GROUP-B", user="contrib_a")
    assert "乙集团" not in str(refused.value)
