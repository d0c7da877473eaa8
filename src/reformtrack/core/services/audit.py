"""Writing the audit trail: explicit events and automatic before/after records of tracked models."""

from __future__ import annotations

import functools

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone, translation

from .. import audit_keys
from ..audit_anchor import checkpoint_every, write_checkpoint
from ..audit_hash import keyed_hash, to_json_value
from ..context import current_actor
from ..models import AuditChainHead, AuditRecord
from ..models.audit import AuditAction

_TRACKED: dict[type[models.Model], frozenset[str]] = {}
ALWAYS_EXCLUDED = frozenset({"password", "last_login", "numchild"})


def snapshot(instance: models.Model, exclude: frozenset[str] = frozenset()) -> dict:
    """The instance's own column values in plain JSON form."""
    if hasattr(instance, "audit_snapshot"):
        return to_json_value(instance.audit_snapshot())
    skipped = exclude | ALWAYS_EXCLUDED
    return {
        f.attname: to_json_value(getattr(instance, f.attname))
        for f in instance._meta.concrete_fields
        if f.name not in skipped and f.attname not in skipped
    }


def diff(before: dict, after: dict) -> dict:
    keys = before.keys() | after.keys()
    return {
        key: {"before": before.get(key), "after": after.get(key)}
        for key in sorted(keys)
        if before.get(key) != after.get(key)
    }


def record(
    *,
    action: str,
    instance: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: dict | None = None,
    username: str | None = None,
) -> AuditRecord:
    """Append one record to the chain, inside the caller's transaction when there is one."""
    actor = current_actor()
    if instance is not None:
        object_type = object_type or instance._meta.label_lower
        object_id = object_id or str(instance.pk)
        with translation.override(settings.LANGUAGE_CODE):  # one language in the log
            object_repr = object_repr or str(instance)[:300]
    key = audit_keys.require_keyring().current
    algorithm = audit_keys.algorithm()
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = AuditChainHead.objects.create(pk=1)
        first_seq = head.last_seq + 1
        if head.last_seq and head.last_key_id != key.id and action != AuditAction.KEY_ROTATION:
            # The key changed outside `rotate_key` (a new REFORMTRACK_AUDIT_KEY, or the first
            # keyed record after legacy ones): the chain says so before using the new key.
            _append(
                head, key, algorithm, actor, _rotation_values(head.last_key_id, key.id, actor.name)
            )
        values = {
            "actor_username": username if username is not None else actor.name,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "object_repr": object_repr[:300],
            "changes": to_json_value(changes or {}),
        }
        entry = _append(head, key, algorithm, actor, values)
        every = checkpoint_every()
        if entry.seq // every != (first_seq - 1) // every:
            # Anchor this record once it is committed (a rolled-back one must not be anchored);
            # a failed write is logged, not raised: the data is committed, the next one anchors.
            transaction.on_commit(
                functools.partial(
                    write_checkpoint, seq=entry.seq, hash=entry.hash, count=entry.seq
                ),
                robust=True,
            )
    return entry


def _rotation_values(old_key_id: str, new_key_id: str, actor_name: str) -> dict:
    return {
        "actor_username": actor_name,
        "action": AuditAction.KEY_ROTATION,
        "object_type": "core.auditkey",
        "object_id": new_key_id,
        "object_repr": new_key_id,
        "changes": {"from": old_key_id, "to": new_key_id},
    }


def _append(head, key, algorithm, actor, values: dict) -> AuditRecord:
    """Write one record after the locked head and move the head on."""
    values = {
        **values,
        "seq": head.last_seq + 1,
        "at": timezone.now(),
        "actor_id": actor.user_id,
        # Hash what the database keeps: IPv6 addresses are stored compressed.
        "ip": AuditRecord._meta.get_field("ip").get_prep_value(actor.ip),
        "request_id": actor.request_id,
        "on_approval": to_json_value(actor.on_approval) if actor.on_approval else None,
        "key_id": key.id,
        "algorithm": algorithm,
        "prev_hash": head.last_hash,
    }
    entry = AuditRecord(**values, hash=keyed_hash(values, key.secret))
    entry.save(force_insert=True)
    head.last_seq, head.last_hash, head.last_key_id = entry.seq, entry.hash, key.id
    AuditChainHead.objects.filter(pk=1).update(
        last_seq=entry.seq, last_hash=entry.hash, last_key_id=key.id
    )
    return entry


def rotate_key() -> AuditRecord:
    """Make a new key current (the old ones stay in the keyring) and record the rotation."""
    old, new = audit_keys.rotate()
    # The chain's own last key, e.g. "legacy" when no record was keyed yet.
    old = AuditChainHead.objects.filter(pk=1).values_list("last_key_id", flat=True).first() or old
    return record(
        action=AuditAction.KEY_ROTATION,
        object_type="core.auditkey",
        object_id=new,
        object_repr=new,
        changes={"from": old, "to": new},
    )


def _before_save(sender, instance, **kwargs):
    exclude = _TRACKED[sender]
    if instance.pk is None or kwargs.get("raw"):
        instance._audit_before = None
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(old, exclude) if old is not None else None


def _after_save(sender, instance, created, **kwargs):
    if kwargs.get("raw"):
        return
    after = snapshot(instance, _TRACKED[sender])
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        record(action=AuditAction.CREATE, instance=instance, changes={"after": after})
        return
    changed = diff(before, after)
    if changed:
        record(action=AuditAction.UPDATE, instance=instance, changes=changed)


def _after_delete(sender, instance, **kwargs):
    record(
        action=AuditAction.DELETE,
        instance=instance,
        changes={"before": snapshot(instance, _TRACKED[sender])},
    )


def track(model: type[models.Model], *, exclude: tuple[str, ...] = ()) -> type[models.Model]:
    """Record every create, change and delete of `model` (use as a class decorator or call)."""
    _TRACKED[model] = frozenset(exclude)
    uid = f"audit:{model._meta.label}"
    pre_save.connect(_before_save, sender=model, dispatch_uid=uid + ":pre")
    post_save.connect(_after_save, sender=model, dispatch_uid=uid + ":post")
    post_delete.connect(_after_delete, sender=model, dispatch_uid=uid + ":del")
    return model


def tracked_models() -> list[type[models.Model]]:
    return list(_TRACKED)
