"""A form field for several files in one upload (evidence), each checked by content as the
files service checks it, with the accepted kinds in the file picker."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from .services.files import ACCEPT_ATTRIBUTE, check_file


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A list of uploaded files; every bad one is named in the errors, and none is kept then."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        items = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if not items:
            return single(None, initial) and []  # "required" is raised by FileField
        files = [single(item, initial) for item in items]
        errors = []
        for upload in files:
            try:
                check_file(upload)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return files
