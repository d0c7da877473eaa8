"""A freshly migrated install for tests that run the product in subprocesses: migrated once per
test process and copied for each use. One `migrate` costs about 11 s of CPU (Django renders the
model states of every migration), and three set-ups each ran one. Migrating writes nothing but
the database file (checked when the template is made)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DATABASE = "reformtrack.sqlite3"
_template: list[Path] = []


def migrated_install(data_dir: Path) -> Path:
    """`data_dir` (created if missing) now holds a migrated SQLite database, as after
    `reformtrack migrate` in an empty data folder."""
    if not _template:
        folder = Path(tempfile.mkdtemp(prefix="reformtrack-migrated-"))
        env = {k: v for k, v in os.environ.items() if not k.startswith("REFORMTRACK_")}
        env.pop("DATABASE_URL", None)
        env.update(REFORMTRACK_DATA_DIR=str(folder), DEBUG="false")
        env.setdefault("SECRET_KEY", "migrated-install")
        command = [sys.executable, "-m", "reformtrack.cli", "migrate", "-v0"]
        subprocess.run(command, env=env, check=True, capture_output=True, timeout=900)
        written = {p.name for p in folder.rglob("*") if p.is_file()}
        assert written == {DATABASE}, f"migrate wrote more than the database: {written}"
        _template.append(folder / DATABASE)
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy2(_template[0], data_dir / DATABASE)
    return data_dir
