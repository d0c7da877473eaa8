"""Backup and restore (issue 16): `reformtrack backup` → `reformtrack restore` onto a fresh
install brings back every row of every table and every file, and `audit verify` passes on it;
a tampered archive or a non-empty install is refused. The commands run as the product runs
them: separate processes, each on its own data folder."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.db import connection, connections

from reformtrack.core.backup import create_backup
from reformtrack.core.backup.manifest import sha256_of

from . import samples_assessments
from ._migrated_install import migrated_install

# Every table's rows, in a stable order, as the restored install reads them.
DUMP = """
import json, django
django.setup()
from django.db import connection
out = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names()):
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        out[table] = sorted(json.dumps(row, default=str, ensure_ascii=False)
                            for row in cursor.fetchall())
print(json.dumps(out, ensure_ascii=False))
"""
DEMO_PARTS = ["orgs", "programs", "assessments"]  # ledger, tallies, evidence files, audit

# With test_cli_startup.py on one worker: one migrated install serves both.
pytestmark = pytest.mark.xdist_group("migrated_install")


def product_env(data_dir: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REFORMTRACK_", "MEDIA_"))}
    env.pop("DATABASE_URL", None)
    env.pop("STATIC_ROOT", None)
    env.update(REFORMTRACK_DATA_DIR=str(data_dir), SECRET_KEY="backup-test", DEBUG="false")
    env.update(extra)
    return env


def run(data_dir: Path, *args, check=True, **extra) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "reformtrack.cli", *args]
    done = subprocess.run(
        command, env=product_env(data_dir, **extra), capture_output=True, text=True, check=False
    )
    if check and done.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def dump(data_dir: Path, **extra) -> dict:
    env = product_env(data_dir, DJANGO_SETTINGS_MODULE="reformtrack.settings", **extra)
    done = subprocess.run(
        [sys.executable, "-c", DUMP], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def files_of(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): sha256_of(p) for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """An install with the demo's organisations, programmes and assessments, backed up."""
    data = migrated_install(tmp_path_factory.mktemp("source"))
    run(data, "demo", "--json", *[arg for part in DEMO_PARTS for arg in ("--only", part)])
    archive = data.parent / "source-backup.tar.gz"
    summary = json.loads(run(data, "backup", "-o", str(archive), "--with-keys", "--json").stdout)
    return data, archive, summary


def test_backup_restore_round_trip_is_identical_and_the_audit_chain_verifies(source, tmp_path):
    data, archive, summary = source
    assert summary["database"] == "sqlite" and summary["with_keys"] is True
    assert archive.stat().st_mode & 0o077 == 0  # the archive is the service account's alone
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert "database/reformtrack.sqlite3" in names and "data/audit-anchors.log" in names
    assert any(n.startswith("media/evidence/") for n in names)
    assert any(n.startswith("media/assessment-evidence/") for n in names)
    assert manifest["rows"]["programs_ledgertally"] > 0 and manifest["rows"]["core_auditrecord"]
    assert set(manifest["members"]) == set(names) - {"manifest.json"}

    target = tmp_path / "restored"
    restored = json.loads(run(target, "restore", str(archive), "--json").stdout)
    assert restored["rows"] == summary["rows"] and restored["tables"] == summary["tables"]

    before, after = dump(data), dump(target)
    assert sorted(after) == sorted(before)
    differing = [table for table in before if before[table] != after[table]]
    assert differing == []
    assert files_of(target / "media") == files_of(data / "media")
    assert (target / "audit.key").read_bytes() == (data / "audit.key").read_bytes()
    verified = run(target, "audit", "verify", "--json")
    assert json.loads(verified.stdout)["ok"] is True
    for path in (target / "reformtrack.sqlite3", *(target / "media").rglob("*")):
        assert path.stat().st_mode & 0o077 == 0, path


def test_restore_refuses_an_install_that_holds_data_unless_forced(source, tmp_path):
    _data, archive, _summary = source
    target = migrated_install(tmp_path / "busy")
    refused = run(target, "restore", str(archive), check=False)
    assert refused.returncode != 0 and "not empty" in refused.stderr
    assert dump(target)["core_auditrecord"] == []  # nothing was written
    forced = json.loads(run(target, "restore", str(archive), "--force", "--json").stdout)
    assert forced["rows"] == _summary["rows"]


def test_a_tampered_archive_is_refused_before_anything_is_written(source, tmp_path):
    _data, archive, _summary = source
    forged = tmp_path / "forged.tar.gz"
    with tarfile.open(archive) as original, tarfile.open(forged, "w:gz") as tar:
        for member in original.getmembers():
            body = original.extractfile(member).read()
            if member.name.startswith("media/evidence/"):
                body = body + b" altered"
                member.size = len(body)
            tar.addfile(member, io.BytesIO(body))
    target = tmp_path / "target"
    refused = run(target, "restore", str(forged), check=False)
    assert refused.returncode != 0 and "Checksum mismatch: media/evidence/" in refused.stderr
    assert not (target / "media").exists()
    assert "core_auditrecord" not in dump(target)  # no table: the database stayed empty


def test_the_audit_key_is_left_out_unless_asked_for(source, tmp_path):
    data, _archive, _summary = source
    archive = tmp_path / "no-keys.tar.gz"
    done = run(data, "backup", "-o", str(archive))
    assert "Keys not in the archive" in done.stdout and "data/audit.key" in done.stdout
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert "data/audit.key" not in names and manifest["with_keys"] is False
    assert "data/audit.key" in manifest["keys_left_out"]
    assert "data/audit-anchors.log" in names


def postgres_url(name: str) -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{name}"


@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_restores_into_an_empty_database(
    people, programme, tree, tmp_path, settings
):
    """pg_dump of the test database → pg_restore into a new, empty one: the same rows."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (run under .ci/with-postgres)")
    samples_assessments.build(tree, people)  # campaigns, scores, evidence files
    settings.DATA_DIR = tmp_path / "data"
    settings.REFORMTRACK_AUDIT_DIR = settings.DATA_DIR
    settings.DATA_DIR.mkdir()
    (settings.DATA_DIR / "audit-anchors.log").write_text("anchor\n")
    archive = tmp_path / "pg.tar.gz"
    info = create_backup(archive)
    assert info["database"]["engine"] == "postgresql" and info["rows"]["core_auditrecord"]
    source_name, target_name = connection.settings_dict["NAME"], "reformtrack_restore_test"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {target_name}")
        cursor.execute(f"CREATE DATABASE {target_name}")
    try:
        target = tmp_path / "restored"
        url = postgres_url(target_name)
        restored = json.loads(
            run(target, "restore", str(archive), "--json", DATABASE_URL=url).stdout
        )
        assert restored["rows"] == sum(info["rows"].values())
        before = dump(tmp_path, DATABASE_URL=postgres_url(source_name))
        after = dump(target, DATABASE_URL=url)
        assert [t for t in before if before[t] != after.get(t)] == []
        assert files_of(target / "media") == files_of(Path(settings.MEDIA_ROOT))
        assert (target / "audit-anchors.log").read_text() == "anchor\n"
        again = run(target, "restore", str(archive), DATABASE_URL=url, check=False)
        assert again.returncode != 0 and "not empty" in again.stderr
    finally:
        connections.close_all()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {target_name} WITH (FORCE)")
