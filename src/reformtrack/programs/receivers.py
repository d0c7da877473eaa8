"""What the programs app does when other apps' events happen."""

from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver

from reformtrack.orgs.signals import organisation_moved

from .models import LedgerTask, RollupSnapshot
from .services import reports  # noqa: F401  (registers the approval receiver)
from .services.tallies import subtree_moved, task_changed, touched


@receiver(organisation_moved)
def _rewrite_paths(sender, old_path: str, new_path: str, **kwargs):
    """Rows that copy a moved organisation's path follow it to its new place."""
    tail = Substr("org_path", len(old_path) + 1)
    for model in (LedgerTask, RollupSnapshot):
        model.objects.filter(org_path__prefix=old_path).update(
            org_path=Concat(Value(new_path), tail)
        )
    subtree_moved(old_path, new_path)


@receiver(post_init, sender=LedgerTask)
def _remember_organisation(sender, instance, **kwargs):
    instance._loaded_organisation_id = instance.organisation_id


# What no stored count reads (services/tallies.py: the roll-up and coverage tallies count by
# programme, organisation, area, programme task, kind, parent, status, main flag, weight and
# percent). A save naming only these (`update_fields`) leaves every tally as it was; any other
# field, and a save of the whole row, recounts. tests/test_task_update_delta.py checks it.
NOT_COUNTED = frozenset(
    {
        "title", "measure", "department", "owner", "deadline", "deliverable", "progress",
        "completed_on", "indicator_unit", "indicator_target", "indicator_actual",
        "indicator_direction", "updated_at", "version",
    }
)  # fmt: skip


@receiver(post_save, sender=LedgerTask)
@receiver(post_delete, sender=LedgerTask)
def _recount(sender, instance, update_fields=None, **kwargs):
    """Every saved or deleted row recounts its organisation (and the one it left), unless the
    save wrote only fields that nothing counts. A task edited in place whose stored row the
    service read under lock (`_tally_before`, set by `update_task`) adds its difference to the
    tallies instead of recounting (`tallies.task_changed`)."""
    stored = instance.__dict__.pop("_tally_before", None)
    if update_fields is not None and update_fields <= NOT_COUNTED:
        return
    if update_fields is not None and instance.parent_id and "parent" not in update_fields:
        return  # a measure, before and after: counted through its task, never itself
    if stored is not None and kwargs.get("signal") is post_save and task_changed(stored, instance):
        return
    touched(instance.programme_id, instance.organisation_id)
    before = getattr(instance, "_loaded_organisation_id", None)
    if before and before != instance.organisation_id:
        touched(instance.programme_id, before)
    instance._loaded_organisation_id = instance.organisation_id
