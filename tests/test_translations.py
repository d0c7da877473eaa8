"""Simplified Chinese is the default UI language: every catalogue must translate every string."""

import subprocess
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent.parent / "src" / "reformtrack"
CATALOGUES = sorted(SOURCE.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"))


def test_the_central_catalogue_is_found():
    assert SOURCE / "locale/zh_Hans/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("po", CATALOGUES, ids=[str(p.relative_to(SOURCE)) for p in CATALOGUES])
def test_catalogue_is_complete(po):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
