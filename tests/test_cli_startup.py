"""The command line starts at once: no heavy library (WeasyPrint, python-docx, plotly, jieba,
openpyxl …) is imported by `reformtrack --help` or `reformtrack orgs show CODE`, and commands
run no system checks (which import every view). Run in fresh processes on a migrated database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ._migrated_install import migrated_install

# With test_backup.py on one worker: one migrated install serves both (tests/_migrated_install.py).
pytestmark = pytest.mark.xdist_group("migrated_install")

HEAVY = [
    "weasyprint", "docx", "docxtpl", "plotly", "jieba", "lingua", "trafilatura", "openpyxl",
    "pandas", "datasketch", "scipy", "numpy", "PIL", "celery", "kaleido",
]  # fmt: skip
PROBE = """
import json, os, sys
from reformtrack.cli import main
try:
    main(["reformtrack", *sys.argv[1:]])
except SystemExit:
    pass
heavy = json.loads(os.environ["HEAVY"])
loaded = sorted(name for name in heavy if name in sys.modules)
urls = "reformtrack.urls" in sys.modules
with open(os.environ["PROBE_OUT"], "w") as out:
    json.dump({"heavy": loaded, "urls": urls}, out)
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A migrated SQLite database in a folder of its own, with one organisation."""
    folder = tmp_path_factory.mktemp("cli-startup")
    env = {
        **os.environ, "REFORMTRACK_DATA_DIR": str(folder), "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "reformtrack.settings", "HEAVY": json.dumps(HEAVY),
    }  # fmt: skip
    env.pop("DATABASE_URL", None)
    cli = [sys.executable, "-m", "reformtrack.cli"]
    migrated_install(folder)
    create = (
        "from reformtrack.orgs.services import create_organisation as c;"
        "c(user=None, parent=None, code='SASAC', name_zh='国资委', kind='supervisor')"
    )
    subprocess.run([*cli, "shell", "-c", create], env=env, check=True, timeout=300)
    return folder, env


def probe(site, *args) -> tuple[dict, str]:
    folder, env = site
    out = Path(folder) / "probe.json"
    run = subprocess.run(
        [sys.executable, "-c", PROBE, *args], env={**env, "PROBE_OUT": str(out)},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    return json.loads(out.read_text()), run.stdout


def test_orgs_show_imports_no_heavy_library_and_no_views(site):
    found, stdout = probe(site, "orgs", "show", "SASAC", "--json")
    assert json.loads(stdout)["code"] == "SASAC"
    assert found == {"heavy": [], "urls": False}


def test_help_imports_no_heavy_library(site):
    found, stdout = probe(site, "--help")
    assert "worker" in stdout and "serve" in stdout
    assert found["heavy"] == []


def test_report_libraries_load_when_a_report_is_rendered():
    """The lazy names still reach the real functions (and only then load the library)."""
    from reformtrack.core import reports

    assert reports.render_pdf.__module__ == "reformtrack.core.reports.pdf"
    assert reports.register_docx.__module__ == "reformtrack.core.reports.docx"
    assert callable(reports.bar_chart_svg)
