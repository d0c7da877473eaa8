"""Programmes from libraries, and launching a programme down the organisation tree."""

from __future__ import annotations

from contextlib import nullcontext

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reformtrack.core import fast_insert
from reformtrack.core.context import Actor, acting, current_actor
from reformtrack.core.jobs import enqueue
from reformtrack.core.jobs.progress import NullProgress
from reformtrack.core.models.audit import AuditAction
from reformtrack.core.scoping import Action, can, granted_paths
from reformtrack.core.services import audit
from reformtrack.core.stored_messages import Message
from reformtrack.orgs.models import Organisation
from reformtrack.orgs.selectors import designated_paths

from ..choices import TaskKind
from ..models import Area, Launch, LedgerTask, Programme, TargetStep, TaskTemplate
from . import tallies

TEMPLATE_FIELDS = (
    "title_zh", "title_en", "description_zh", "description_en", "kind", "weight", "deadline",
    "deliverable_zh", "deliverable_en", "evidence_zh", "evidence_en", "origin",
)  # fmt: skip
BATCH = 2000  # tasks per INSERT batch of a launch


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
def launch_programme(
    *, user, programme: Programme, organisation: Organisation, progress=None
) -> dict:
    """Launch to one organisation: its subtree's ledger gets every applicable task, once.
    The tasks are written in batches of plain INSERTs (core.fast_insert), counted on
    `progress` (a job's, or none), with one audit record for the launch."""
    progress = progress or NullProgress()
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
    work = [(t, _applicable(t, candidates, organisation, designated)) for t in templates]
    progress.total = sum(len(orgs) for _template, orgs in work)
    codes: list[str] = []
    touched: set[tuple[int, int]] = set()
    for template, orgs in work:
        progress.at(template.code)
        batch, seen = [], 0
        for org in orgs:
            seen += 1
            code = task_code(template.code, org.code)
            if code not in existing:
                existing.add(code)
                codes.append(code)
                touched.add((programme.pk, org.pk))
                batch.append(from_template(template, org, code))
            if len(batch) >= BATCH:
                fast_insert.insert(LedgerTask, batch)
                progress.advance(seen, template.code)
                batch, seen = [], 0
        fast_insert.insert(LedgerTask, batch)
        progress.advance(seen, template.code)
    progress.at(Message(gettext_noop("Counting the ledger")))
    tallies.refresh(sorted(touched))
    # Plain inserts send no signals: one record, under the launcher, accounts for every task
    # the launch created.
    with _as_launcher(user):
        _record_launch(launch, created, codes)
    return {"launch": launch, "created": len(codes)}


def _as_launcher(user):
    outer = current_actor()
    if user is None or outer.user_id == user.pk:
        return nullcontext()
    return acting(Actor(fixed_user=user, ip=outer.ip, request_id=outer.request_id))


def _record_launch(launch: Launch, created: bool, codes: list[str]) -> None:
    audit.record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        instance=launch,
        changes={
            "tasks": {"before": None, "after": len(codes)},
            "task_codes": {"before": None, "after": codes},
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


def designated_organisations(*, user, designation: str):
    """The organisations (in the user's managed scope) holding a current designation; a
    ValidationError naming the field when there are none."""
    paths = designated_paths([designation]).get(designation, set())
    orgs = Organisation.objects.filter(path__in=paths).order_by("path")
    if user is not None:
        orgs = orgs.visible_to(user, Action.MANAGE)
    if not orgs.exists():
        raise ValidationError(
            {"designation": _("No organisation you manage holds %(code)s.") % {"code": designation}}
        )
    return orgs


def launch_by_designation(*, user, programme: Programme, designation: str, progress=None) -> dict:
    """Launch to every organisation (in the user's managed scope) holding a current designation."""
    orgs = list(designated_organisations(user=user, designation=designation))
    created = 0
    for org in orgs:
        result = launch_programme(user=user, programme=programme, organisation=org,
                                  progress=progress)  # fmt: skip
        Launch.objects.filter(pk=result["launch"].pk).update(designation=designation)
        created += result["created"]
    return {"launches": len(orgs), "created": created}


# --- launching as a job ----------------------------------------------------------------------


def validate_launch(*, user, organisation=None, designation: str = "") -> None:
    """What can be checked at once, before queuing: the user manages the organisation, or some
    organisation they manage holds the designation (PermissionDenied / ValidationError)."""
    if organisation is not None:
        if user is not None and not can(user, Action.MANAGE, organisation):
            raise PermissionDenied(_("You may not launch programmes here."))
    else:
        designated_organisations(user=user, designation=designation)


def start_title(*, programme: Programme, organisation=None, designation: str = "") -> Message:
    if organisation is not None:
        return Message(gettext_noop("Launch %(programme)s to %(org)s"),
                       programme=programme.code, org=organisation.code)  # fmt: skip
    return Message(gettext_noop("Launch %(programme)s to holders of %(designation)s"),
                   programme=programme.code, designation=designation)  # fmt: skip


def start_launch(*, user, programme: Programme, organisation=None, designation: str = ""):
    """Check what the request can check at once and queue the launch; returns the Job."""
    validate_launch(user=user, organisation=organisation, designation=designation)
    return enqueue(
        "programme_launch",
        user=user,
        organisation=organisation,
        title=start_title(programme=programme, organisation=organisation, designation=designation),
        function="reformtrack.programs.services.programmes.launch_job",
        kwargs={
            "programme": programme.pk,
            "organisation": organisation.pk if organisation is not None else None,
            "designation": designation,
        },
    )


def launch_job(
    *, progress, user, programme: int, organisation: int | None = None, designation: str = ""
) -> dict:
    """The launch, as a job: the tasks, their tallies and the audit record; a one-line summary
    and a link to the programme."""
    programme = Programme.objects.get(pk=programme)
    if organisation is not None:
        org = Organisation.objects.get(pk=organisation)
        result = launch_programme(user=user, programme=programme, organisation=org,
                                  progress=progress)  # fmt: skip
        launches = 1
        summary = _("Launched to %(org)s: %(created)s new tasks in the ledger.") % {
            "org": org,
            "created": result["created"],
        }
    else:
        result = launch_by_designation(user=user, programme=programme, designation=designation,
                                       progress=progress)  # fmt: skip
        launches = result["launches"]
        summary = _(
            "Launched to %(launches)s organisations with the designation %(designation)s: "
            "%(created)s new tasks in the ledger."
        ) % {"launches": launches, "designation": designation, "created": result["created"]}
    return {
        "summary": summary,
        "url": programme.get_absolute_url(),
        "created": result["created"],
        "launches": launches,
    }
