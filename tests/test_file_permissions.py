"""Files and folders the product creates are the service account's alone (issue 16): the
SQLite database and its folder, an uploaded evidence file and the folders it lands in."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from . import samples_assessments
from .test_backup import product_env

OPEN_TO_OTHERS = stat.S_IRWXG | stat.S_IRWXO


def mode(path: Path) -> str:
    return oct(path.stat().st_mode & 0o777)


def test_the_database_and_data_folder_are_private(tmp_path):
    data = tmp_path / "fresh" / "data"
    touch_db = (
        "import django; django.setup(); from django.db import connection; "
        "connection.ensure_connection()"
    )
    env = product_env(data, DJANGO_SETTINGS_MODULE="reformtrack.settings")
    subprocess.run([sys.executable, "-c", touch_db], env=env, check=True)
    database = data / "reformtrack.sqlite3"
    assert database.exists()
    assert mode(database) == "0o600"
    assert mode(data) == "0o700"


def test_an_uploaded_evidence_file_and_its_folders_are_private(tree, people, api_for, settings):
    samples = samples_assessments.build(tree, people)
    score = samples["api"]["score"]["a"]
    upload = SimpleUploadedFile("charter.pdf", b"%PDF-1.4 charter", content_type="application/pdf")
    response = api_for(people["reform_office"]).post(
        "/api/assessments/evidence/", {"score": score.pk, "file": upload}, format="multipart"
    )
    assert response.status_code == 201, response.content
    media = Path(settings.MEDIA_ROOT)
    stored = [p for p in media.rglob("*") if p.is_file() and p.name.startswith("charter")]
    assert stored, "the upload is on disk"
    assert mode(stored[0]) == "0o600"
    folder = stored[0].parent
    while folder != media.parent:
        assert folder.stat().st_mode & OPEN_TO_OTHERS == 0, f"{folder} is {mode(folder)}"
        folder = folder.parent
