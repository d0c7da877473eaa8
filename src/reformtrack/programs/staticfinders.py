"""Serves the plotly.js that ships inside the plotly wheel as the static file
`vendor/plotly.min.js`: charts render offline, and no 4 MB copy lives in the repository.

Enable it by adding "reformtrack.programs.staticfinders.PlotlyFinder" to
`STATICFILES_FINDERS` (after Django's two default finders). `collectstatic` then copies the
file like any other, and WhiteNoise serves it from the finders in development.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import utils
from django.contrib.staticfiles.finders import BaseFinder, searched_locations
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage

PREFIX = "vendor"
FILENAME = "plotly.min.js"
STATIC_NAME = f"{PREFIX}/{FILENAME}"


def plotly_package_data() -> Path:
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data"


class PlotlyFinder(BaseFinder):
    """Exactly one file: plotly's `package_data/plotly.min.js`, as `vendor/plotly.min.js`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.location = plotly_package_data()
        self.storage = FileSystemStorage(location=self.location)
        self.storage.prefix = PREFIX  # collectstatic and WhiteNoise put the file under vendor/

    def check(self, **kwargs):
        if not (self.location / FILENAME).is_file():
            return [
                Error(
                    f"plotly.js is missing from the plotly package ({self.location / FILENAME}).",
                    hint="Reinstall the plotly package.",
                    id="programs.E001",
                )
            ]
        return []

    def find(self, path, find_all=False):
        if str(self.location) not in searched_locations:
            searched_locations.append(str(self.location))
        found = str(self.location / FILENAME)
        if path != STATIC_NAME or not Path(found).is_file():
            return []  # as Django's own finders: an empty list, whatever `find_all` says
        return [found] if find_all else found

    def list(self, ignore_patterns):
        if ignore_patterns and utils.matches_patterns(FILENAME, ignore_patterns):
            return
        if self.storage.exists(FILENAME):
            yield FILENAME, self.storage
