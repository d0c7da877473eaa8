"""Pages: upload, search, a document with highlighted items and its spun repairs, review,
and promotion of the Hebrew article's seven ratings into the 2021 campaign."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reformtrack.assessments.models import Assessment, RuleSet
from reformtrack.assessments.services.campaigns import open_campaign
from reformtrack.core.libraries import install_library
from reformtrack.documents import services
from reformtrack.documents.models import Document, Extraction
from reformtrack.orgs import services as org_services

DATA = Path(__file__).parent / "data" / "documents"
SPUN = DATA / "003_6edbb738d41674c3.txt"
HEBREW = DATA / "000_f040f981a4a9feab.txt"
SINOCHEM_UNITS = ["HAOHUA", "SINOCHEM-ENERGY", "SINOCHEM-INTL", "NANTONG-XINGCHEN",
                  "SINOCHEM-ENV", "SYRICI", "ZHONGLAN-CHENGUANG"]  # fmt: skip


def upload(client, path: Path):
    return client.post(
        reverse("documents:upload"), {"file": SimpleUploadedFile(path.name, path.read_bytes())}
    )


def test_upload_search_and_read_the_spun_copy(client_for, people):
    office = client_for(people["reform_office"])
    response = upload(office, SPUN)
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    page = office.get(document.get_absolute_url()).content.decode()
    assert "转载" not in page
    assert 'data-testid="spun"' in page and "改写稿" in page
    assert '<mark class="change" title="清静 → 安全">安全</mark>' in page
    assert '<mark class="organisation"' in page
    viewer = client_for(people["viewer"])
    listing = viewer.get(reverse("documents:list"), {"q": "产业链"}).content.decode()
    assert f'data-document="{document.pk}"' in listing
    empty = viewer.get(reverse("documents:list"), {"q": "抗震"}).content.decode()
    assert f'data-document="{document.pk}"' not in empty
    assert upload(viewer, SPUN).status_code == 403  # a viewer may read, not upload


def test_uploading_the_same_file_again_changes_nothing(client_for, people):
    office = client_for(people["reform_office"])
    upload(office, SPUN)
    response = upload(office, SPUN)
    assert response.status_code == 302
    assert Document.objects.count() == 1


def test_an_unsupported_file_is_refused_with_its_reason(client_for, people):
    office = client_for(people["reform_office"])
    bad = SimpleUploadedFile("x.exe", b"MZ")
    page = office.post(reverse("documents:upload"), {"file": bad}).content.decode()
    assert "不支持的文件类型" in page
    assert not Document.objects.exists()


def test_hostile_html_is_shown_as_text(client_for, people):
    office = client_for(people["reform_office"])
    html = (
        "<html><body><script>document.title='pwned'</script><article><h1>标题</h1>"
        "<p>国资委召开会议，推进产业链建设工作。&lt;script&gt;alert(1)&lt;/script&gt;"
        "国资委召开会议，推进产业链建设工作，确保改革任务落地见效。</p></article></body></html>"
    ).encode()
    office.post(reverse("documents:upload"), {"file": SimpleUploadedFile("p.html", html)})
    document = Document.objects.get()
    page = office.get(document.get_absolute_url()).content.decode()
    assert "pwned" not in page
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


@pytest.fixture
def campaign_2021(tree, people):
    sinochem = org_services.create_organisation(
        user=None, parent=tree["SASAC"], code="SINOCHEM", name_zh="中国中化控股有限责任公司",
        name_en="Sinochem Holdings", short_name_zh="中国中化", kind="group",
    )  # fmt: skip
    units = [
        org_services.create_organisation(
            user=None, parent=sinochem, code=code, name_zh=f"{code}公司", kind="subsidiary"
        )
        for code in SINOCHEM_UNITS
    ]
    path = settings.REFORMTRACK_LIBRARY_DIR / "rulesets" / "special-evaluation.yaml"
    install_library(path.read_text(encoding="utf-8"), origin=path.name)
    return open_campaign(
        user=people["supervisor_admin"], rule_set=RuleSet.objects.get(code="SPECIAL-EVAL"),
        year=2021, code="SE-2021", name_zh="2021年度专项评估", organisation=tree["SASAC"],
        self_deadline=dt.date(2021, 11, 30), review_deadline=dt.date(2022, 3, 31), targets=units,
    )  # fmt: skip


def test_the_hebrew_ratings_are_promoted_into_the_2021_campaign(client_for, people, campaign_2021):
    document, _created = services.ingest(
        user=people["supervisor_admin"], data=HEBREW.read_bytes(), filename=HEBREW.name
    )
    supervisor = client_for(people["supervisor_admin"])
    ratings = Extraction.objects.filter(document=document, kind="rating")
    assert ratings.count() == 7
    for item in ratings:
        supervisor.post(reverse("documents:item-review", args=[item.pk]), {"accept": "1"})
        supervisor.post(
            reverse("documents:item-promote", args=[item.pk]), {"campaign": campaign_2021.pk}
        )
    results = {
        a.organisation.code: a.rating
        for a in Assessment.objects.filter(campaign=campaign_2021).select_related("organisation")
    }
    assert results == {
        "HAOHUA": "BENCHMARK", "SINOCHEM-ENERGY": "EXCELLENT", "SINOCHEM-INTL": "EXCELLENT",
        "NANTONG-XINGCHEN": "EXCELLENT", "SINOCHEM-ENV": "GOOD", "SYRICI": "GOOD",
        "ZHONGLAN-CHENGUANG": "GOOD",
    }  # fmt: skip
    haohua = Assessment.objects.get(campaign=campaign_2021, organisation__code="HAOHUA")
    assert f"document {document.pk}" in haohua.source
    assert all(i.promoted_to == f"assessment:{campaign_2021.pk}" for i in ratings.all())


def test_an_outsider_cannot_review_a_rating_of_another_group(client_for, people, campaign_2021):
    document, _created = services.ingest(user=None, data=HEBREW.read_bytes(), filename="h.txt")
    item = Extraction.objects.filter(document=document, kind="rating").first()
    client_for(people["outsider"]).post(
        reverse("documents:item-review", args=[item.pk]), {"accept": "1"}
    )
    item.refresh_from_db()
    assert item.review == "proposed"


def test_an_inferred_source_is_marked_inferred_on_the_page(client_for, people):
    """002 does not name its publisher: CECEP, whose chairman is quoted, shown as 推断."""
    office = client_for(people["reform_office"])
    upload(office, DATA / "002_2247bcd7426d126d.txt")
    document = Document.objects.get()
    assert (document.source, document.source_inferred, document.source_basis) == (
        "CECEP", True, "executive"
    )  # fmt: skip
    page = office.get(document.get_absolute_url()).content.decode()
    assert 'data-testid="source-inferred"' in page and "推断" in page
    assert "据所引负责人推断" in page
    stated = upload(office, SPUN)
    assert stated.status_code == 302
    spun_page = office.get(stated["Location"]).content.decode()
    assert 'data-testid="source-inferred"' not in spun_page  # a stated source is shown as is
