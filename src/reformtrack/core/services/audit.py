"""Writing the audit trail: explicit events and automatic before/after records of tracked models."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone, translation

from .. import audit_keys, fast_insert
from ..audit_anchor import checkpoint_every, write_checkpoint
from ..audit_hash import canonical_json, keyed_hash, to_json_value
from ..context import current_actor
from ..models import AuditChainHead, AuditRecord
from ..models.audit import AuditAction

_TRACKED: dict[type[models.Model], frozenset[str]] = {}
ALWAYS_EXCLUDED = frozenset({"password", "last_login", "numchild"})


def snapshot(instance: models.Model, exclude: frozenset[str] = frozenset()) -> dict:
    """The instance's own column values in plain JSON form."""
    if hasattr(instance, "audit_snapshot"):
        return to_json_value(_as_stored(instance, instance.audit_snapshot()))
    skipped = exclude | ALWAYS_EXCLUDED
    values = {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.name not in skipped and f.attname not in skipped
    }
    return to_json_value(_as_stored(instance, values))


@functools.cache
def _decimal_places(model) -> dict[str, Decimal]:
    return {
        f.attname: Decimal(1).scaleb(-f.decimal_places)
        for f in model._meta.concrete_fields
        if isinstance(f, models.DecimalField) and f.decimal_places is not None
    }


def _as_stored(instance, values: dict) -> dict:
    """Decimals at their column's places, as the database gives them back: a percent set to
    0 and read back as 0.00 is no change (the log showed "0 → 0")."""
    for name, unit in _decimal_places(type(instance)).items():
        value = values.get(name)
        if isinstance(value, Decimal) and value.is_finite():
            values[name] = value.quantize(unit)
    return values


def diff(before: dict, after: dict) -> dict:
    keys = before.keys() | after.keys()
    return {
        key: {"before": before.get(key), "after": after.get(key)}
        for key in sorted(keys)
        if before.get(key) != after.get(key)
    }


def _values(
    *, action, instance, object_type, object_id, object_repr, changes, username, actor, plain=False
):
    """The caller's part of one record (the chain adds seq, time, actor, key and hashes);
    `plain`: the changes are already in plain JSON form (built from `snapshot`)."""
    if instance is not None:
        object_type = object_type or instance._meta.label_lower
        object_id = object_id or str(instance.pk)
        if not object_repr and translation.get_language() == settings.LANGUAGE_CODE:
            object_repr = str(instance)[:300]
        elif not object_repr:
            with translation.override(settings.LANGUAGE_CODE):  # one language in the log
                object_repr = str(instance)[:300]
    return {
        "actor_username": username if username is not None else actor.name,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "object_repr": object_repr[:300],
        "changes": (changes or {}) if plain else to_json_value(changes or {}),
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
    values = _values(action=action, instance=instance, object_type=object_type,
                     object_id=object_id, object_repr=object_repr, changes=changes,
                     username=username, actor=actor)  # fmt: skip
    return _extend([values], actor)[-1]


def record_many(entries: Iterable[dict]) -> int:
    """Append many records at once (bulk writes: an import's new tasks): the same chain, keys
    and checkpoints as `record`, one after another in the given order, under one lock of the
    head, in prepared INSERTs. Each entry holds `record`'s keyword arguments; returns how many
    records were written. An entry whose `changes` are already in plain JSON form (made of
    `snapshot`s) says so with "plain": True, and they are not converted again."""
    actor = current_actor()
    with translation.override(settings.LANGUAGE_CODE):  # once for the batch, not per record
        values = [
            _values(
                action=entry["action"],
                instance=entry.get("instance"),
                object_type=entry.get("object_type", ""),
                object_id=entry.get("object_id", ""),
                object_repr=entry.get("object_repr", ""),
                changes=entry.get("changes"),
                username=entry.get("username"),
                actor=actor,
                plain=entry.get("plain", False),
            )
            for entry in entries
        ]
    return len(_extend(values, actor)) if values else 0


BULK = 2000


def _extend(batch: list[dict], actor) -> list:
    """Lock the head, append `batch` in order (after a rotation record when the key changed
    outside `rotate_key`), move the head once and anchor the last record past a checkpoint."""
    key = audit_keys.require_keyring().current
    algorithm = audit_keys.algorithm()
    # Part of the caller's write (no savepoint: a record that fails fails the whole write).
    with transaction.atomic(savepoint=False):
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = AuditChainHead.objects.create(pk=1)
        before = head.last_seq
        entries = []
        rotated = (
            before and head.last_key_id != key.id and batch[0]["action"] != AuditAction.KEY_ROTATION
        )
        bulk = len(batch) + bool(rotated) > 2
        if rotated:
            # The key changed outside `rotate_key` (a new REFORMTRACK_AUDIT_KEY, or the first
            # keyed record after legacy ones): the chain says so before using the new key.
            rotation = _rotation_values(head.last_key_id, key.id, actor.name)
            entries.append(_chained(head, key, algorithm, actor, rotation, bulk))
        entries.extend(_chained(head, key, algorithm, actor, values, bulk) for values in batch)
        if not bulk:  # one record (after a rotation record, maybe): saved as models
            entries = [AuditRecord(**values) for values in entries]
            for entry in entries:
                entry.save(force_insert=True)
        else:  # prepared once, run per row: no multi-row SQL to compose, no model instances
            fast_insert.insert(AuditRecord, entries, batch=BULK, dicts=True)
        AuditChainHead.objects.filter(pk=1).update(
            last_seq=head.last_seq, last_hash=head.last_hash, last_key_id=key.id
        )
        seq, digest = head.last_seq, head.last_hash
        every = checkpoint_every()
        if seq // every != before // every:
            # Anchor this record once it is committed (a rolled-back one must not be anchored);
            # a failed write is logged, not raised: the data is committed, the next one anchors.
            transaction.on_commit(
                functools.partial(write_checkpoint, seq=seq, hash=digest, count=seq),
                robust=True,
            )
    return entries


def _rotation_values(old_key_id: str, new_key_id: str, actor_name: str) -> dict:
    return {
        "actor_username": actor_name,
        "action": AuditAction.KEY_ROTATION,
        "object_type": "core.auditkey",
        "object_id": new_key_id,
        "object_repr": new_key_id,
        "changes": {"from": old_key_id, "to": new_key_id},
    }


def _chained(head, key, algorithm, actor, values: dict, as_text: bool = False) -> dict:
    """The next record's values after `head` (not saved yet); the in-memory head moves on.
    The changes are serialised once, for the hash and (`as_text`, for a plain INSERT) the
    stored column: the same content the model's JSON field would store."""
    at = timezone.now()
    values = {
        **values,
        "seq": head.last_seq + 1,
        "at": at,
        "actor_id": actor.user_id,
        # Hash what the database keeps: IPv6 addresses are stored compressed.
        "ip": AuditRecord._meta.get_field("ip").get_prep_value(actor.ip),
        "request_id": actor.request_id,
        "on_approval": to_json_value(actor.on_approval) if actor.on_approval else None,
        "key_id": key.id,
        "algorithm": algorithm,
        "prev_hash": head.last_hash,
    }
    text = canonical_json(values["changes"])
    values["hash"] = keyed_hash(values, key.secret, {"changes": text})
    if as_text:
        values["changes"] = fast_insert.JSONText(text)
    head.last_seq, head.last_hash, head.last_key_id = values["seq"], values["hash"], key.id
    return values


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


def read_before_save(instance: models.Model) -> None:
    """`instance` was just read under a row lock in this transaction and is about to be changed
    and saved: keep its values as the record's "before", so the save reads the row once only."""
    if type(instance) in _TRACKED:
        instance._audit_read = snapshot(instance, _TRACKED[type(instance)])


def _before_save(sender, instance, **kwargs):
    exclude = _TRACKED[sender]
    read = instance.__dict__.pop("_audit_read", None)  # once: a later save reads again
    if instance.pk is None or kwargs.get("raw"):
        instance._audit_before = None
        return
    if read is not None:
        instance._audit_before = read
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
