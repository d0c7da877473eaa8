"""Model labels (core.user, programs.programme) as readers name them: the model's verbose name
in the active language, for the audit log's object type column and filter."""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext_lazy

# The empty choice of a model form's select (Django 6.1's BLANK_CHOICE_LABEL): Django ships no
# Chinese for it yet, so it is in our catalogue; this reference keeps it there.
BLANK_CHOICE = gettext_lazy("- Select an option -")


def model_name(label: str) -> str:
    """The verbose name of the model `label` ("app.model"); the label itself if unknown."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return label
    return str(model._meta.verbose_name)


def model_choices() -> list[tuple[str, str]]:
    """(label, verbose name) of the product's models, by name: the audit filter's options."""
    found = [
        (model._meta.label_lower, str(model._meta.verbose_name))
        for model in apps.get_models()
        if model.__module__.startswith("reformtrack.")
    ]
    return sorted(found, key=lambda item: item[1])
