"""The keyed, anchored audit chain: what someone who can write the database but has not got the
key (kept outside it) can no longer hide from `audit verify`.

Tampering is done as an intruder would: raw SQL (on PostgreSQL as the table owner, who can
disable the append-only trigger), re-hashing with the published algorithm, cutting the tail
together with the chain head, emptying the table.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import socket
import stat
import tempfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation

from reformtrack.core import audit_keys
from reformtrack.core.audit_anchor import anchor_path, read_checkpoints
from reformtrack.core.audit_hash import HASHED_FIELDS, record_hash
from reformtrack.core.context import on_behalf_of
from reformtrack.core.models import AuditChainHead, AuditRecord
from reformtrack.core.models.audit import AuditAction
from reformtrack.core.selectors.audit import verify_archive, verify_chain
from reformtrack.core.services.audit_archive import archive_records
from reformtrack.orgs import services as org_services
from tests.test_audit import sql

POSTGRES = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL roles")


@pytest.fixture(autouse=True)
def _permissive_umask():
    """Files must be private because the product says so, not because of the caller's umask."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# --- helpers ---------------------------------------------------------------------------------


def run(*args) -> str:
    out = io.StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


def verify_fails(*args) -> str:
    """`audit verify` must fail; returns its error message."""
    with pytest.raises(CommandError) as caught:
        run("verify", *args)
    return str(caught.value)


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def rows_from(seq: int) -> list[dict]:
    fields = (*HASHED_FIELDS, "key_id", "algorithm", "on_approval", "hash")
    return list(AuditRecord.objects.filter(seq__gte=seq).order_by("seq").values(*fields))


def set_head(seq: int, hash_: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditchainhead SET last_seq = %s, last_hash = %s", [seq, hash_])


def rehash_with_public_algorithm(start: int, *, mark_legacy: bool = False, **changes) -> None:
    """What an intruder without the key can do: change record `start`, then recompute it and
    every later hash with the published (unkeyed) algorithm and move the head along."""
    prev = AuditRecord.objects.filter(seq=start - 1).values_list("hash", flat=True).first()
    prev = prev or "0" * 64
    for row in rows_from(start):
        if row["seq"] == start:
            row.update(changes)
        row["prev_hash"] = prev
        row["hash"] = record_hash(row)
        assignments = ", ".join(f"{name} = %s" for name in changes) if row["seq"] == start else ""
        params = [row[name] for name in changes] if row["seq"] == start else []
        legacy = ", key_id = 'legacy', algorithm = 'sha256'" if mark_legacy else ""
        sql(
            "UPDATE core_auditrecord SET "
            + (assignments + ", " if assignments else "")
            + f"prev_hash = %s, hash = %s{legacy} WHERE seq = %s",
            *params,
            prev,
            row["hash"],
            row["seq"],
        )
        prev = row["hash"]
    set_head(row["seq"], prev)


@pytest.fixture
def chain(tree):
    count = AuditRecord.objects.count()
    assert count >= 7
    return count


# --- the key -------------------------------------------------------------------------------


def test_records_are_hashed_with_a_key_kept_outside_the_database(chain, settings):
    """Records carry the id of the key that made them, and their hash is not the public one;
    the key itself is in a private file in the audit folder, not in any table."""
    ring = audit_keys.keyring(create=False)
    record = AuditRecord.objects.get(seq=1)
    assert record.key_id == ring.current.id
    assert record.algorithm == "hmac-sha256"
    row = rows_from(1)[0]
    assert record.hash != record_hash(row)
    key_file = settings.REFORMTRACK_AUDIT_DIR / "audit.key"
    assert key_file.exists()
    assert ring.current.secret.decode() in key_file.read_text()
    assert ring.current.secret.decode() not in json.dumps(
        list(AuditRecord.objects.values()), default=str
    )
    assert verify_chain().ok


def test_key_from_the_environment_writes_no_key_file(db, settings):
    """With REFORMTRACK_AUDIT_KEY set the key never touches the disk."""
    settings.REFORMTRACK_AUDIT_KEY = "a-long-random-secret-from-the-vault"
    org_services.create_organisation(
        user=None, parent=None, code="ROOT", name_zh="根", kind="supervisor"
    )
    record = AuditRecord.objects.get()
    assert record.key_id == audit_keys.key_id_of(b"a-long-random-secret-from-the-vault")
    assert not (settings.REFORMTRACK_AUDIT_DIR / "audit.key").exists()
    assert verify_chain().ok


def test_files_and_folder_are_private(chain, settings, tmp_path):
    """(e) The key file, the anchor log and an archive are 0600, the audit folder 0700, even
    when the process umask would allow others to read them."""
    run("verify")
    folder = settings.REFORMTRACK_AUDIT_DIR
    assert mode(folder) == 0o700
    assert mode(folder / "audit.key") == 0o600
    assert mode(anchor_path()) == 0o600
    archive = tmp_path / "out" / "audit-archive.jsonl"
    archive_records(before=dt.date(2999, 1, 1), path=archive)
    assert mode(archive) == 0o600


# --- (a) a chain re-hashed without the key ---------------------------------------------------


def test_chain_rewritten_with_the_public_algorithm_names_the_first_bad_record(chain):
    """(a) Record 3 altered and every later hash recomputed with the published algorithm (as
    before this change) and the head moved along: verify names record 3 as re-hashed."""
    rehash_with_public_algorithm(3, object_repr="无害的记录")
    message = verify_fails()
    assert "broken at record 3" in message
    assert "re-hashed with the public algorithm, without the key" in message
    report = verify_chain()
    assert (report.ok, report.first_bad_seq, report.damage) == (False, 3, "rehashed")
    assert report.checked == 2


def test_chain_relabelled_as_unkeyed_legacy_is_caught(chain):
    """(a) Marking the rewritten records as legacy (unkeyed) does not help: a legacy record
    after keyed ones is named."""
    rehash_with_public_algorithm(4, mark_legacy=True, actor_username="somebody")
    report = verify_chain()
    assert (report.ok, report.first_bad_seq, report.damage) == (False, 4, "rehashed")
    assert "claims the old unkeyed hash" in report.reason


def test_whole_chain_rewritten_as_legacy_is_caught_by_the_checkpoint(chain):
    """(a) Rewriting every record from the first as legacy makes a self-consistent chain;
    the signed checkpoint outside the database still names the difference."""
    run("verify")  # writes a checkpoint of the intact chain
    rehash_with_public_algorithm(1, mark_legacy=True, object_repr="伪造")
    message = verify_fails()
    assert f"broken at record {chain}" in message
    assert "does not match the checkpoint" in message and "rewritten" in message
    assert verify_chain().damage == "rewritten"


# --- (b) a cut tail, (c) an emptied table -----------------------------------------------------


def test_tail_cut_together_with_the_head_is_named_by_the_anchor(chain):
    """(b) The newest three records deleted and the head set to the record before them: the
    chain itself is consistent, the checkpoint names the cut."""
    run("verify")
    keep = chain - 3
    sql("DELETE FROM core_auditrecord WHERE seq > %s", keep)
    set_head(keep, AuditRecord.objects.get(seq=keep).hash)
    message = verify_fails()
    assert f"broken at record {keep + 1}" in message
    assert f"records after {keep} were removed" in message
    assert f"anchored record {chain}" in message
    report = verify_chain()
    assert (report.damage, report.checked, report.anchor_seq) == ("tail_cut", keep, chain)


def test_emptied_table_fails_verify(chain):
    """(c) Deleting every record (SQLite: plain DELETE, no trigger there; PostgreSQL: the
    owner's TRUNCATE, which row triggers do not see) and emptying the head is named."""
    run("verify")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE core_auditrecord")
    else:
        sql("DELETE FROM core_auditrecord")
    set_head(0, "0" * 64)
    out = io.StringIO()
    with pytest.raises(CommandError, match="table was emptied"):
        call_command("audit", "verify", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["ok"] is False
    assert report["checked"] == 0
    assert report["damage"] == "emptied"
    assert f"anchored {chain} records" in report["reason"]


def test_emptied_table_with_its_head_left_is_named_without_a_checkpoint(chain):
    """Even before any checkpoint, an empty table whose head remembers records is named."""
    sql("DELETE FROM core_auditrecord")
    report = verify_chain()
    assert (report.ok, report.damage) == (False, "emptied")


# --- checkpoints ---------------------------------------------------------------------------


def test_checkpoints_are_written_every_n_records_after_commit(
    db, settings, django_capture_on_commit_callbacks
):
    """Every REFORMTRACK_AUDIT_CHECKPOINT_EVERY records a signed checkpoint is appended, once
    the records are committed; the records in between write no file."""
    settings.REFORMTRACK_AUDIT_CHECKPOINT_EVERY = 3
    for number in range(7):  # each its own transaction, committed (and its callbacks run)
        with django_capture_on_commit_callbacks(execute=True):
            org_services.create_organisation(
                user=None, parent=None, code=f"R{number}", name_zh=f"根{number}", kind="supervisor"
            )
    checkpoints, bad = read_checkpoints(audit_keys.keyring(create=False))
    assert bad == []
    assert [cp.seq for cp in checkpoints] == [3, 6]
    assert checkpoints[-1].hash == AuditRecord.objects.get(seq=6).hash
    assert mode(anchor_path()) == 0o600


def test_fewer_records_than_the_interval_write_no_checkpoint(
    db, django_capture_on_commit_callbacks
):
    """The default interval (100) is not reached by a few writes: no file write per record."""
    with django_capture_on_commit_callbacks(execute=True):
        org_services.create_organisation(
            user=None, parent=None, code="ROOT", name_zh="根", kind="supervisor"
        )
    assert AuditRecord.objects.count() == 1
    assert not anchor_path().exists()


def test_every_verify_appends_a_checkpoint(chain):
    """Each `audit verify` of an intact chain anchors its head, later ones compare with it."""
    first = json.loads(run("verify", "--json"))
    assert first["anchor_seq"] is None
    org_services.create_organisation(
        user=None, parent=None, code="X", name_zh="新", kind="supervisor"
    )
    now = AuditRecord.objects.count()
    second = json.loads(run("verify", "--json"))
    assert second["ok"] and second["anchor_seq"] == chain and second["checked"] == now > chain
    checkpoints, _bad = read_checkpoints(audit_keys.keyring(create=False))
    assert [cp.seq for cp in checkpoints] == [chain, now]
    assert checkpoints[-1].count == now


def test_checkpoints_go_to_syslog_when_there_is_one(chain, settings):
    """A checkpoint is also sent to the local syslog socket, signed like the file's line."""
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:
        address = os.path.join(folder, "log")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        listener.bind(address)
        listener.settimeout(5)
        settings.REFORMTRACK_AUDIT_SYSLOG = address
        try:
            run("verify")
            message = listener.recv(65536).decode()
        finally:
            listener.close()
    assert "reformtrack: audit checkpoint" in message
    line = anchor_path().read_text().splitlines()[-1]
    assert line in message


def test_no_syslog_socket_does_not_stop_the_audit(chain, settings, tmp_path):
    """Without /dev/log (containers) checkpoints still go to the file and verify succeeds."""
    settings.REFORMTRACK_AUDIT_SYSLOG = str(tmp_path / "no-such-socket")
    assert run("verify").startswith("OK")
    settings.REFORMTRACK_AUDIT_SYSLOG = str(anchor_path())  # exists, but is not a socket
    assert run("verify").startswith("OK")
    assert len(anchor_path().read_text().splitlines()) == 2


def test_verify_page_reads_and_writes_nothing(people, client_for):
    """The verify page checks against the checkpoints but appends none and records nothing."""
    run("verify")
    before_lines = anchor_path().read_text()
    client = client_for(people["audit"])
    before = AuditRecord.objects.count()
    response = client.get("/audit/verify/")
    assert response.status_code == 200
    assert response.context["report"].ok
    assert AuditRecord.objects.count() == before
    assert anchor_path().read_text() == before_lines


def test_forged_checkpoint_is_named(chain):
    """A checkpoint appended without the key (to make a cut tail look anchored) is refused."""
    run("verify")
    forged = {"seq": 2, "hash": "f" * 64, "at": "2026-01-01T00:00:00+00:00", "count": 2,
              "key_id": "0" * 16, "algorithm": "hmac-sha256", "mac": "0" * 64}  # fmt: skip
    with anchor_path().open("a") as handle:
        handle.write(json.dumps(forged) + "\n")
    report = verify_chain()
    assert (report.ok, report.damage) == (False, "bad_checkpoint")
    assert "line 2 of the anchor file" in report.reason


def test_a_half_written_last_checkpoint_is_ignored(chain):
    """A line cut by a crash mid-write (no newline) neither breaks verify nor counts."""
    run("verify")
    with anchor_path().open("a") as handle:
        handle.write('{"seq": 99')
    assert verify_chain().ok


# --- (d) key rotation ------------------------------------------------------------------------


def test_rotation_is_recorded_and_old_records_keep_verifying(chain, settings):
    """(d) `audit rotate-key` records the rotation (naming key ids, never a key); new records
    use the new key, old ones still verify with the old key kept in the keyring."""
    old_id = audit_keys.keyring().current.id
    result = json.loads(run("rotate-key", "--json"))
    new_id = audit_keys.keyring().current.id
    assert new_id != old_id
    assert result == {"seq": chain + 1, "from": old_id, "to": new_id}
    rotation = AuditRecord.objects.get(seq=chain + 1)
    assert rotation.action == AuditAction.KEY_ROTATION
    assert rotation.key_id == new_id
    assert rotation.changes == {"from": old_id, "to": new_id}
    secrets_ = [key.secret.decode() for key in audit_keys.keyring().keys.values()]
    assert len(secrets_) == 2
    assert not any(secret in json.dumps(rotation.changes) for secret in secrets_)

    org_services.create_organisation(
        user=None, parent=None, code="N", name_zh="新", kind="supervisor"
    )
    assert AuditRecord.objects.order_by("-seq").first().key_id == new_id
    assert AuditRecord.objects.get(seq=1).key_id == old_id
    assert run("verify").startswith(f"OK: {chain + 2} records")
    assert mode(settings.REFORMTRACK_AUDIT_DIR / "audit.key") == 0o600

    sql("UPDATE core_auditrecord SET object_repr = %s WHERE seq = %s", "改", 2)
    report = verify_chain()
    assert (report.first_bad_seq, report.damage) == (2, "altered")


def test_a_new_environment_key_is_recorded_as_a_rotation(db, settings):
    """(d) Changing REFORMTRACK_AUDIT_KEY (new key first, old kept after it) makes the next
    write record the rotation; rotate-key itself points there instead of writing a file."""
    settings.REFORMTRACK_AUDIT_KEY = "first-secret"
    make = org_services.create_organisation
    make(user=None, parent=None, code="A", name_zh="甲", kind="supervisor")
    settings.REFORMTRACK_AUDIT_KEY = "second-secret,first-secret"
    make(user=None, parent=None, code="B", name_zh="乙", kind="supervisor")
    actions = list(AuditRecord.objects.order_by("seq").values_list("action", "key_id"))
    first, second = audit_keys.key_id_of(b"first-secret"), audit_keys.key_id_of(b"second-secret")
    assert actions == [("create", first), ("key_rotation", second), ("create", second)]
    assert AuditRecord.objects.get(seq=2).changes == {"from": first, "to": second}
    assert verify_chain().ok
    with pytest.raises(CommandError, match="REFORMTRACK_AUDIT_KEY"):
        run("rotate-key")

    settings.REFORMTRACK_AUDIT_KEY = "second-secret"  # the old key dropped: old records fail
    report = verify_chain()
    assert (report.ok, report.first_bad_seq, report.damage) == (False, 1, "unknown_key")


def test_sm3_hmac_as_a_setting(db, settings):
    """REFORMTRACK_AUDIT_HMAC=hmac-sm3 hashes with SM3; switching back keeps both verifying."""
    settings.REFORMTRACK_AUDIT_HMAC = "hmac-sm3"
    make = org_services.create_organisation
    make(user=None, parent=None, code="A", name_zh="甲", kind="supervisor")
    settings.REFORMTRACK_AUDIT_HMAC = "hmac-sha256"
    make(user=None, parent=None, code="B", name_zh="乙", kind="supervisor")
    assert list(AuditRecord.objects.order_by("seq").values_list("algorithm", flat=True)) == [
        "hmac-sm3",
        "hmac-sha256",
    ]
    assert verify_chain().ok
    sql("UPDATE core_auditrecord SET object_repr = %s WHERE seq = 1", "改")
    assert verify_chain().first_bad_seq == 1


# --- records from before keys: the legacy algorithm ------------------------------------------


def legacy_chain(count: int) -> None:
    """Records as the previous version wrote them (what migration 0006 marks as legacy)."""
    from django.utils import timezone

    prev = "0" * 64
    for seq in range(1, count + 1):
        values = {
            "seq": seq, "at": timezone.now(), "actor_id": None, "actor_username": "old",
            "ip": None, "action": "create", "object_type": "orgs.organisation",
            "object_id": str(seq), "object_repr": f"旧{seq}", "changes": {"after": {"n": seq}},
            "request_id": "r", "prev_hash": prev,
        }  # fmt: skip
        values["hash"] = record_hash(values)
        AuditRecord(**values, key_id="legacy", algorithm="sha256").save(force_insert=True)
        prev = values["hash"]
    AuditChainHead.objects.filter(pk=1).update(last_seq=count, last_hash=prev, last_key_id="legacy")


def test_legacy_records_keep_verifying_and_keyed_ones_follow(db):
    """Unkeyed records from before this change verify with the old algorithm; the first keyed
    write is preceded by a rotation record from the legacy key to the new one."""
    legacy_chain(3)
    assert verify_chain().ok
    org_services.create_organisation(
        user=None, parent=None, code="A", name_zh="甲", kind="supervisor"
    )
    rotation = AuditRecord.objects.get(seq=4)
    assert rotation.action == AuditAction.KEY_ROTATION
    assert rotation.changes["from"] == "legacy"
    assert AuditRecord.objects.get(seq=5).key_id == rotation.key_id != "legacy"
    assert verify_chain().ok

    sql("UPDATE core_auditrecord SET object_repr = %s WHERE seq = 2", "改")
    report = verify_chain()
    assert (report.first_bad_seq, report.damage) == (2, "altered")


# --- on whose approval ----------------------------------------------------------------------


def test_change_applied_on_approval_names_the_approval(tree, people, client_for):
    """A change applied in its author's name on an approval is recorded with the author as the
    actor and the approval (request, approvers) covered by the hash; the log page shows it."""
    approval = {"request": 12, "approvers": ["office_a", "sup"]}
    with on_behalf_of(people["contributor"], approval=approval):
        org_services.update_organisation(
            user=None, organisation=tree["A-SUB2"], name_zh="甲孙公司（改）"
        )
    entry = AuditRecord.objects.order_by("-seq").first()
    assert entry.actor_username == "contrib_a"
    assert entry.on_approval == approval
    assert verify_chain().ok
    html = client_for(people["audit"]).get("/audit/", {"user": "contrib_a"}).content.decode()
    assert "office_a, sup" in html

    sql(
        "UPDATE core_auditrecord SET on_approval = %s WHERE seq = %s",
        json.dumps({"request": 12, "approvers": ["sup"]}),
        entry.seq,
    )
    assert verify_chain().first_bad_seq == entry.seq


# --- retention and archives ---------------------------------------------------------------


def test_archive_is_a_verifiable_copy_and_the_rows_stay(chain, tmp_path):
    """An archive holds the records with their hashes and verifies on its own; the database
    keeps every row. A record altered in the archive is named."""
    path = tmp_path / "archive.jsonl"
    summary = archive_records(before=dt.date(2999, 1, 1), path=path)
    assert summary["count"] == chain
    assert AuditRecord.objects.count() == chain
    assert verify_archive(path).ok
    assert run("verify", "--archive", str(path)).startswith(f"OK: {chain} records")

    lines = path.read_text().splitlines()
    third = json.loads(lines[3])
    third["object_repr"] = "改"
    lines[3] = json.dumps(third, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n")
    assert "broken at record 3" in verify_fails("--archive", str(path))


def test_archive_keeps_the_retention_period_in_the_database(chain, tmp_path, settings):
    """Only records older than REFORMTRACK_AUDIT_RETENTION_DAYS (at least 180) are archived:
    a later date is refused, the default cut-off finds none of today's records."""
    assert settings.REFORMTRACK_AUDIT_RETENTION_DAYS == 180
    with pytest.raises(CommandError, match="last 180 days"):
        run("archive", "--before", "2999-01-01", "-o", str(tmp_path / "a.jsonl"))
    out = run("archive", "-o", str(tmp_path / "b.jsonl"))
    assert out.startswith("Archived 0 records")
    assert verify_archive(tmp_path / "b.jsonl").ok


def test_reading_pages_writes_no_audit_record(people, client_for):
    """Looking at the log, its export and the verify page leaves the trail as it was."""
    client = client_for(people["audit"])
    before = AuditRecord.objects.count()
    for url in ("/audit/", "/audit/verify/", "/audit/export.csv"):
        response = client.get(url)
        assert response.status_code == 200
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert AuditRecord.objects.count() == before


# --- PostgreSQL: the owner/app role split -----------------------------------------------------

APP_ROLE = "reformtrack_app_test"


@POSTGRES
@pytest.mark.django_db(transaction=True)
def test_app_role_cannot_truncate_or_disable_the_trigger(tree):
    """`audit harden --app-role` (run by the owner): the application's own connection writes and
    reads the trail, but TRUNCATE, ALTER TABLE … DISABLE TRIGGER, UPDATE and DELETE of the
    audit table are refused to it by PostgreSQL."""
    import psycopg

    settings_dict = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute(f"DROP ROLE IF EXISTS {APP_ROLE}")
        cursor.execute(f"CREATE ROLE {APP_ROLE} LOGIN")
    try:
        assert "SELECT/INSERT only" in run("harden", "--app-role", APP_ROLE)
        app = psycopg.connect(
            host=settings_dict["HOST"], port=settings_dict["PORT"],
            dbname=settings_dict["NAME"], user=APP_ROLE, autocommit=True,
        )  # fmt: skip
        with app, app.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM core_auditrecord")
            assert cursor.fetchone()[0] == AuditRecord.objects.count()
            refused = [
                "TRUNCATE core_auditrecord",
                "ALTER TABLE core_auditrecord DISABLE TRIGGER USER",
                "ALTER TABLE core_auditrecord DISABLE TRIGGER core_auditrecord_append_only",
                "DELETE FROM core_auditrecord",
                "UPDATE core_auditrecord SET object_repr = 'x'",
                "DROP TABLE core_auditrecord",
            ]
            for statement in refused:
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    cursor.execute(statement)
        # The product itself runs as the app role: it appends and verifies.
        with connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {APP_ROLE}")
        try:
            org_services.create_organisation(
                user=None, parent=tree["SASAC"], code="AS-APP", name_zh="应用", kind="group"
            )
            assert verify_chain().ok
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET ROLE")
        assert AuditRecord.objects.filter(object_repr="应用").exists()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
            cursor.execute(f"DROP OWNED BY {APP_ROLE}")
            cursor.execute(f"DROP ROLE {APP_ROLE}")


@POSTGRES
def test_harden_refuses_a_superuser_app_role(db):
    """Handing the app a superuser (who could do anything) is refused, naming why."""
    with pytest.raises(CommandError, match="superuser"):
        run("harden", "--app-role", connection.settings_dict["USER"])


def test_harden_is_for_postgresql_only(db):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    with pytest.raises(CommandError, match="PostgreSQL"):
        run("harden", "--app-role", "app")
