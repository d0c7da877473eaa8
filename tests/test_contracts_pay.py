"""Pay is sensitive: the reform office, HR and the supervisor above read it, contributors, viewers
and other groups do not (pages and API); every read of a pay page is appended to the pay-read
log, apart from the audit trail; amounts are encrypted at rest."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from reformtrack.contracts.models import AnnualContract, PayRead
from reformtrack.core.models import AuditRecord

from .samples_contracts import install_rules, manager

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(tree):
    install_rules()
    return manager(tree["A-SUB"], pay=Decimal("654321.00"))


@pytest.mark.parametrize("who", ["reform_office", "supervisor_admin"])
def test_office_and_supervisor_read_pay_and_the_read_is_logged(client_for, people, contract, who):
    client = client_for(people[who])
    audit_before = AuditRecord.objects.count()
    response = client.get(reverse("contracts:annual", args=[contract.pk]))
    assert response.status_code == 200
    assert "654,321.00 元" in response.content.decode()  # the amount as a reader reads it
    read = PayRead.objects.get()
    assert read.reader_username == people[who].username
    assert read.member == contract.tenure.member and read.page == "annual"
    assert read.object_id == str(contract.pk)
    assert AuditRecord.objects.count() == audit_before  # a read changes no business data


@pytest.mark.parametrize("who", ["contributor", "viewer", "outsider"])
def test_others_get_no_pay_page(client_for, people, contract, who):
    client = client_for(people[who])
    for name, args in (
        ("contracts:annual", [contract.pk]), ("contracts:member", [contract.tenure.member_id]),
    ):  # fmt: skip
        response = client.get(reverse(name, args=args))
        assert response.status_code in (403, 404)
        assert "654,321" not in response.content.decode()
    home = client.get(reverse("contracts:home"))
    assert "甲经理" not in home.content.decode()


@pytest.mark.parametrize("who", ["contributor", "viewer", "outsider"])
def test_api_gives_others_nothing(api_for, people, contract, who):
    api = api_for(people[who])
    for basename, pk in (
        ("annualcontract", contract.pk), ("contractmember", contract.tenure.member_id),
    ):  # fmt: skip
        assert api.get(reverse(f"{basename}-list")).json()["results"] == []
        assert api.get(reverse(f"{basename}-detail", args=[pk])).status_code == 404


def test_api_reads_pay_for_the_office(api_for, people, contract):
    api = api_for(people["reform_office"])
    data = api.get(reverse("annualcontract-detail", args=[contract.pk])).json()
    assert data["pay_standard"] == "654321.00"
    assert PayRead.objects.filter(object_id=str(contract.pk), page="api").exists()


def test_pay_is_encrypted_at_rest_and_kept_out_of_the_audit(contract):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pay_standard FROM contracts_annualcontract WHERE id = %s", [contract.pk]
        )
        (stored,) = cursor.fetchone()
    assert stored.startswith("sm4:") and "654321" not in stored
    assert AnnualContract.objects.get(pk=contract.pk).pay_standard == Decimal("654321.00")
    created = AuditRecord.objects.get(
        object_type="contracts.annualcontract", object_id=str(contract.pk), action="create"
    )
    assert "pay_standard" not in created.changes["after"]


def test_word_contract_in_chinese_for_the_office_only(client_for, people, contract):
    import io

    import docx

    url = reverse("contracts:word", args=[contract.pk])
    response = client_for(people["reform_office"]).get(url)
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "经理层成员年度经营业绩责任书" in text and "甲经理" in text and "654,321.00" in text
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "重点任务" in cells and "线性计分（越高越好）（关键指标）" in cells
    assert PayRead.objects.filter(page="word", reader_username="office_a").exists()
    assert client_for(people["contributor"]).get(url).status_code == 403
    assert client_for(people["outsider"]).get(url).status_code == 404
