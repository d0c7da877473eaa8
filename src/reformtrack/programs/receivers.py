"""What the programs app does when other apps' events happen."""

from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.dispatch import receiver

from reformtrack.orgs.signals import organisation_moved

from .models import LedgerTask, RollupSnapshot
from .services import reports  # noqa: F401  (registers the approval receiver)


@receiver(organisation_moved)
def _rewrite_paths(sender, old_path: str, new_path: str, **kwargs):
    """Rows that copy a moved organisation's path follow it to its new place."""
    tail = Substr("org_path", len(old_path) + 1)
    for model in (LedgerTask, RollupSnapshot):
        model.objects.filter(org_path__startswith=old_path).update(
            org_path=Concat(Value(new_path), tail)
        )
