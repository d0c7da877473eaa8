"""A hidden version field for every edit form of a versioned object (see models/versioned.py)."""

from django import forms


class VersionedFormMixin:
    """Carries the version the form was opened at; the service refuses the save if stale.

    Model forms take it from `instance`; plain forms from `initial["version"]`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, min_value=1
        )
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and "version" not in self.initial:
            self.initial["version"] = instance.version
