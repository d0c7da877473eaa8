"""Placeholder: being written."""

from django.views.generic import View


class ProgrammeListView(View):
    pass


class LibraryUploadView(View):
    pass


class ProgrammeDetailView(View):
    pass


class LaunchView(View):
    pass
