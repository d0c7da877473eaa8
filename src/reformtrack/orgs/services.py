"""Writes to the organisation tree, designations and role grants; each checks the actor's scope.

`user=None` means the installation operator (commands, demo data): no scope check.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from reformtrack.core.models import AdminRole
from reformtrack.core.models.audit import AuditAction
from reformtrack.core.scoping import Action, can, forget
from reformtrack.core.security.separation import check_may_grant, require_admin_role
from reformtrack.core.services import audit

from .choices import OrgKind
from .models import Designation, Organisation, RoleAssignment
from .signals import organisation_moved

ALLOWED_PARENT_KINDS = {
    OrgKind.SUPERVISOR: {None, OrgKind.SUPERVISOR},
    OrgKind.GROUP: {OrgKind.SUPERVISOR},
    OrgKind.SUBSIDIARY: {OrgKind.GROUP, OrgKind.SUBSIDIARY},
}
ORG_FIELDS = (
    "code", "uscc", "name_zh", "name_en", "short_name_zh", "short_name_en",
    "kind", "is_active", "closed_on",
)  # fmt: skip


def _require(user, action, obj) -> None:
    if user is not None and not can(user, action, obj):
        raise PermissionDenied(_("You may not do this here."))


def level_under(parent: Organisation | None, kind: str) -> int:
    """0 for supervisors, 1 for groups, parent's level + 1 below a group."""
    if kind == OrgKind.SUPERVISOR:
        return 0
    if kind == OrgKind.GROUP:
        return 1
    return (parent.level if parent is not None else 1) + 1


def _check_parent(kind: str, parent: Organisation | None) -> None:
    parent_kind = parent.kind if parent is not None else None
    if parent_kind not in ALLOWED_PARENT_KINDS[kind]:
        raise ValidationError(
            {
                "kind": _("A %(kind)s cannot sit under %(parent)s.")
                % {
                    "kind": OrgKind(kind).label,
                    "parent": parent if parent is not None else _("the top of the tree"),
                }
            }
        )


def _clean(org: Organisation) -> None:
    if org.uscc:
        org.uscc = org.uscc.strip().upper()
    else:
        org.uscc = None
    org.code = org.code.strip().upper()
    org.full_clean(exclude=["path", "depth", "numchild"])


@transaction.atomic
def create_organisation(*, user, parent: Organisation | None, **fields) -> Organisation:
    if parent is None:
        if user is not None:
            raise PermissionDenied(_("Top-level organisations are created at installation."))
    else:
        _require(user, Action.MANAGE, parent)
    org = Organisation(**{k: v for k, v in fields.items() if k in ORG_FIELDS})
    org.parent = parent
    _check_parent(org.kind, parent)
    org.level = level_under(parent, org.kind)
    if not org.is_active and org.closed_on is None:
        raise ValidationError({"closed_on": _("Give the date a closed organisation closed on.")})
    _clean(org)
    if parent is None:
        return Organisation.objects.add_root(instance=org)
    parent.refresh_from_db()  # numchild must be current for treebeard
    return Organisation.objects.add_child(parent, instance=org)


@transaction.atomic
def update_organisation(*, user, organisation: Organisation, **fields) -> Organisation:
    _require(user, Action.MANAGE, organisation)
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    for key, value in fields.items():
        if key in ORG_FIELDS:
            setattr(org, key, value)
    if "kind" in fields:
        _check_parent(org.kind, org.parent)
        child_kinds = set(Organisation.objects.get_children(org).values_list("kind", flat=True))
        for child_kind in child_kinds:
            if org.kind not in ALLOWED_PARENT_KINDS[child_kind]:
                raise ValidationError(
                    {
                        "kind": _("A %(kind)s below it cannot sit under a %(new)s.")
                        % {"kind": OrgKind(child_kind).label, "new": OrgKind(org.kind).label}
                    }
                )
        org.level = level_under(org.parent, org.kind)
    if org.is_active:
        org.closed_on = None
    elif org.closed_on is None:
        raise ValidationError({"closed_on": _("Give the date a closed organisation closed on.")})
    _clean(org)
    org.save()
    if "kind" in fields:
        _relevel_descendants(org)
    return org


@transaction.atomic
def change_organisation(*, user, organisation: Organisation, parent=None, **fields):
    """One edit that may also move: either all of it is saved or none of it."""
    org = organisation
    if parent is not None and parent.pk != org.parent_id:
        org = move_organisation(user=user, organisation=org, new_parent=parent)
    return update_organisation(user=user, organisation=org, **fields)


def _relevel_descendants(org: Organisation) -> None:
    """Subsidiary levels follow their depth below their group."""
    if org.kind == OrgKind.SUPERVISOR:
        return
    group_depth = org.depth - (org.level - 1)
    Organisation.objects.get_descendants(org).filter(kind=OrgKind.SUBSIDIARY).update(
        level=F("depth") - group_depth + 1
    )


@transaction.atomic
def move_organisation(*, user, organisation: Organisation, new_parent: Organisation):
    """Moves a whole subtree under `new_parent`; roles and records move with it."""
    _require(user, Action.MANAGE, organisation)
    _require(user, Action.MANAGE, new_parent)
    org = Organisation.objects.get(pk=organisation.pk)
    new_parent = Organisation.objects.get(pk=new_parent.pk)
    if new_parent.path.startswith(org.path):
        raise ValidationError({"parent": _("An organisation cannot move under itself.")})
    _check_parent(org.kind, new_parent)
    old_parent, old_path = org.parent, org.path
    Organisation.objects.move(org, new_parent, pos="last-child")
    org.refresh_from_db()
    organisation_moved.send(sender=Organisation, old_path=old_path, new_path=org.path)
    Organisation.objects.filter(pk=org.pk).update(
        parent=new_parent, level=level_under(new_parent, org.kind)
    )
    org.refresh_from_db()
    _relevel_descendants(org)
    audit.record(
        action=AuditAction.MOVE,
        instance=org,
        changes={
            "parent": {
                "before": old_parent.code if old_parent else None,
                "after": new_parent.code,
            }
        },
    )
    return org


def _check_designation(designation: Designation) -> None:
    if designation.kind.requires_chain and not designation.chain:
        raise ValidationError({"chain": _("Name the industrial chain of this designation.")})
    designation.full_clean()


@transaction.atomic
def add_designation(*, user, organisation: Organisation, **fields) -> Designation:
    _require(user, Action.MANAGE, organisation)
    designation = Designation(organisation=organisation, **fields)
    _check_designation(designation)
    designation.save()
    return designation


@transaction.atomic
def update_designation(*, user, designation: Designation, **fields) -> Designation:
    _require(user, Action.MANAGE, designation)
    for key, value in fields.items():
        setattr(designation, key, value)
    _check_designation(designation)
    designation.save()
    return designation


@transaction.atomic
def delete_designation(*, user, designation: Designation) -> None:
    _require(user, Action.MANAGE, designation)
    designation.delete()


@transaction.atomic
def grant_role(*, user, organisation: Organisation, role: str, granted_by=None) -> RoleAssignment:
    """Business roles only for business accounts (三员分立: administrators hold none), granted by
    the security administrator, never one who set the account's credentials (dual control)."""
    check_may_grant(by=granted_by, user=user)
    if user.is_administrator:
        raise ValidationError(
            _("%(user)s is an administrator and may hold no business role.") % {"user": user}
        )
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user, organisation=organisation, role=role, defaults={"granted_by": granted_by}
    )
    if granted_by is not None and user.roles_granted_by_id != granted_by.pk:
        user.roles_granted_by = granted_by
        user.save(update_fields=["roles_granted_by"])
    forget(user)
    return assignment


@transaction.atomic
def revoke_role(*, assignment: RoleAssignment, by=None) -> None:
    """The security administrator withdraws a role (`by=None`: the installation operator)."""
    require_admin_role(by, AdminRole.SECURITY)
    user = assignment.user
    assignment.delete()
    forget(user)
