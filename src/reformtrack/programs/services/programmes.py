"""Programmes from libraries, and launching a programme down the organisation tree."""

from __future__ import annotations

from contextlib import nullcontext

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reformtrack.core.context import Actor, acting, current_actor
from reformtrack.core.models.audit import AuditAction
from reformtrack.core.scoping import Action, can, granted_paths
from reformtrack.core.services import audit
from reformtrack.orgs.models import Organisation
from reformtrack.orgs.selectors import designated_paths

from ..choices import TaskKind
from ..models import Area, Launch, LedgerTask, Programme, TargetStep, TaskTemplate
from . import tallies

TEMPLATE_FIELDS = (
    "title_zh", "title_en", "description_zh", "description_en", "kind", "weight", "deadline",
    "deliverable_zh", "deliverable_en", "evidence_zh", "evidence_en", "origin",
)  # fmt: skip


def may_load_libraries(user) -> bool:
    """Supervisor administrators (manage on a top-level organisation) load programmes."""
    if user is None:
        return True
    return any(len(path) == Organisation.steplen for path in granted_paths(user, Action.MANAGE))


def install_programme(*, document, library, user) -> Programme:
    """Upsert by codes: areas and tasks keep their identity across library versions."""
    header, spec = document.library, document.programme
    programme, _created = Programme.objects.update_or_create(
        code=header.code,
        defaults={
            "library": library,
            "version": header.version,
            "name_zh": header.name_zh,
            "name_en": header.name_en,
            "issuer_zh": header.issuer_zh,
            "issuer_en": header.issuer_en,
            "source": header.source,
            "provenance": header.provenance,
            "provenance_en": header.provenance_en,
            "period_start": spec.period_start,
            "period_end": spec.period_end,
            "reporting": spec.reporting,
            "count_only_approved": spec.count_only_approved,
            "direct_entry": spec.direct_entry,
        },
    )
    kept = []
    for position, area_spec in enumerate(spec.areas):
        area, _created = Area.objects.update_or_create(
            programme=programme,
            code=area_spec.code,
            defaults={
                "name_zh": area_spec.name_zh,
                "name_en": area_spec.name_en,
                "origin": area_spec.origin,
                "position": position,
            },
        )
        for task_position, task in enumerate(area_spec.tasks):
            indicator = task.indicator
            TaskTemplate.objects.update_or_create(
                programme=programme,
                code=task.code,
                defaults={
                    **{name: getattr(task, name) for name in TEMPLATE_FIELDS},
                    "area": area,
                    "is_main": task.main,
                    "applies_kinds": list(task.applies_to.kinds),
                    "applies_levels": list(task.applies_to.levels),
                    "applies_designations": list(task.applies_to.designations),
                    "indicator_unit": indicator.unit if indicator else "",
                    "indicator_target": indicator.target if indicator else None,
                    "indicator_direction": indicator.direction if indicator else "",
                    "position": task_position,
                },
            )
            kept.append(task.code)
    programme.templates.exclude(code__in=kept).delete()
    programme.targets.all().delete()
    TargetStep.objects.bulk_create(
        TargetStep(
            programme=programme,
            measure=target.measure,
            basis=target.basis,
            due=step.due,
            percent=step.percent,
            label_zh=step.label_zh,
            label_en=step.label_en,
        )
        for target in spec.targets
        for step in target.steps
    )
    return programme


def _applicable(template: TaskTemplate, candidates: list[Organisation], root, designated) -> list:
    """Organisations of the launched subtree that get this task."""
    restricted = template.applies_kinds or template.applies_levels or template.applies_designations
    if not restricted:
        if template.kind == TaskKind.COVERAGE:
            return [o for o in candidates if o.kind != "supervisor"]
        return [root]
    chosen = []
    for org in candidates:
        if template.applies_kinds and org.kind not in template.applies_kinds:
            continue
        if template.applies_levels and org.level not in template.applies_levels:
            continue
        if template.applies_designations and not any(
            org.path in designated.get(code, ()) for code in template.applies_designations
        ):
            continue
        chosen.append(org)
    return chosen


def task_code(template_code: str, org_code: str) -> str:
    return f"{template_code}-{org_code}"[:60]


@transaction.atomic
def launch_programme(*, user, programme: Programme, organisation: Organisation) -> dict:
    """Launch to one organisation: its subtree's ledger gets every applicable task, once."""
    if user is not None and not can(user, Action.MANAGE, organisation):
        raise PermissionDenied(_("You may not launch programmes here."))
    launch, created = Launch.objects.get_or_create(
        programme=programme,
        organisation=organisation,
        defaults={"launched_by": user if user is not None else None},
    )
    candidates = list(Organisation.objects.filter(path__prefix=organisation.path, is_active=True))
    templates = list(programme.templates.select_related("area"))
    wanted = sorted({c for t in templates for c in t.applies_designations})
    designated = designated_paths(wanted) if wanted else {}
    existing = set(
        LedgerTask.objects.filter(
            programme=programme, org_path__prefix=organisation.path
        ).values_list("code", flat=True)
    )
    new_tasks = []
    for template in templates:
        for org in _applicable(template, candidates, organisation, designated):
            code = task_code(template.code, org.code)
            if code in existing:
                continue
            existing.add(code)
            new_tasks.append(from_template(template, org, code))
    LedgerTask.objects.bulk_create(new_tasks, batch_size=2000)
    tallies.refresh((programme.pk, task.organisation_id) for task in new_tasks)
    # Bulk creation sends no signals: one record, under the launcher, accounts for every task
    # the launch created.
    with _as_launcher(user):
        _record_launch(launch, created, new_tasks)
    return {"launch": launch, "created": len(new_tasks)}


def _as_launcher(user):
    outer = current_actor()
    if user is None or outer.user_id == user.pk:
        return nullcontext()
    return acting(Actor(fixed_user=user, ip=outer.ip, request_id=outer.request_id))


def _record_launch(launch: Launch, created: bool, new_tasks: list) -> None:
    audit.record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        instance=launch,
        changes={
            "tasks": {"before": None, "after": len(new_tasks)},
            "task_codes": {"before": None, "after": [task.code for task in new_tasks]},
        },
    )


def from_template(template: TaskTemplate, org: Organisation, code: str) -> LedgerTask:
    return LedgerTask(
        programme_id=template.programme_id,
        area_id=template.area_id,
        template=template,
        organisation=org,
        org_path=org.path,
        code=code,
        title=template.title_zh,
        deadline=template.deadline,
        deliverable=template.deliverable_zh,
        kind=template.kind,
        is_main=template.is_main,
        weight=template.weight,
        indicator_unit=template.indicator_unit,
        indicator_target=template.indicator_target,
        indicator_direction=template.indicator_direction,
    )


def launch_by_designation(*, user, programme: Programme, designation: str) -> dict:
    """Launch to every organisation (in the user's managed scope) holding a current designation."""
    paths = designated_paths([designation]).get(designation, set())
    orgs = Organisation.objects.filter(path__in=paths)
    if user is not None:
        orgs = orgs.visible_to(user, Action.MANAGE)
    if not orgs:
        raise ValidationError(
            {"designation": _("No organisation you manage holds %(code)s.") % {"code": designation}}
        )
    created = 0
    for org in orgs:
        result = launch_programme(user=user, programme=programme, organisation=org)
        Launch.objects.filter(pk=result["launch"].pk).update(designation=designation)
        created += result["created"]
    return {"launches": len(orgs), "created": created}
