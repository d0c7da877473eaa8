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


def encode_seen(versions: dict[str, int]) -> str:
    """The versions a page showed, keyed by natural key, for a form that may create or replace
    any of them (a statement of a period, a target of an indicator): `key=3;other=1`."""
    return ";".join(f"{key}={version}" for key, version in sorted(versions.items()))


def expected_from_seen(raw: str, key: str) -> int:
    """The version of `key` the page showed; 0 when it showed none (the row must not exist)."""
    for part in (raw or "").split(";"):
        name, _sep, version = part.rpartition("=")
        if name == key and version.isdigit():
            return int(version)
    return 0
