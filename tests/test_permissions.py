"""Permission matrix generated from the URL configuration and the API router.

Every page and endpoint is found by walking the URL resolver, so a URL added later is checked
without anyone writing a test for it: anonymous users are sent to sign in (401/403 in the API),
a user of another group gets 404 for group A's objects, and each role reaches exactly what its
role grants. A new URL whose parameters this file cannot fill fails `test_every_url_is_covered`.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.module_loading import import_string

from reformtrack.core.libraries import install_library
from reformtrack.core.models import ApprovalRequest
from reformtrack.core.scoping import Action
from reformtrack.core.services import approvals
from reformtrack.core.views.mixins import AdminRoleRequiredMixin, BusinessViewMixin
from reformtrack.orgs.models import Designation, DesignationKind, Organisation, RoleAssignment
from reformtrack.orgs.roles import ROLE_ACTIONS
from reformtrack.programs.models import EvidenceVersion, LedgerTask, Programme, ProgressReport
from reformtrack.programs.services import evidence as evidence_services
from reformtrack.programs.services import reports as report_services
from reformtrack.programs.services.programmes import launch_programme

from ._demo_once import built_once
from .conftest import DATA, build_people, build_tree

# Pages anyone may open, and framework plumbing that is not ours to gate.
PUBLIC = {"core:login", "core:logout", "set_language", "favicon"}
API_PREFIX = "/api/"
# Apps after programs bring their own samples: tests/samples_<app>.py, see `extension_samples`.
SAMPLE_MODULES = sorted(p.stem for p in Path(__file__).parent.glob("samples_*.py"))
BUSINESS_ROLES = ["supervisor_admin", "reform_office", "contributor", "viewer"]
ADMINS = ["system", "security", "audit"]


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield prefix + str(entry.pattern), name, entry


def page_patterns():
    """(name, pattern) of every non-API page."""
    found = []
    for route, name, entry in _walk(get_resolver().url_patterns):
        if route.startswith(API_PREFIX.lstrip("/")) or name in PUBLIC:
            continue
        found.append((name or route, entry))
    return found


def view_class(entry):
    return getattr(entry.callback, "view_class", None)


def required(entry) -> tuple[str, str]:
    """('admin', role) for administrator pages, ('business', action), or ('any', '')."""
    cls = view_class(entry)
    if cls is None:
        return "any", ""
    if issubclass(cls, AdminRoleRequiredMixin):
        return "admin", cls.admin_roles or (cls.admin_role,)
    if issubclass(cls, BusinessViewMixin):
        return "business", getattr(cls, "scope_action", Action.VIEW)
    return "any", ""


class Samples:
    """For each URL parameter, an object of group A (reachable) and of group B (not)."""

    def __init__(self, tree, people):
        kind = DesignationKind.objects.get(code="DOUBLE_HUNDRED")
        self.org = {"a": tree["A-SUB"], "b": tree["B-SUB"]}
        self.designation = {
            side: Designation.objects.create(organisation=org, kind=kind, valid_from="2021-01-01")
            for side, org in self.org.items()
        }
        submitter = {"a": people["contributor"], "b": people["outsider"]}
        self.approval = {
            side: approvals.submit(
                target=self.designation[side], organisation=org, user=submitter[side]
            )
            for side, org in self.org.items()
        }
        self.person = people["viewer"]
        self.role = RoleAssignment.objects.get(user=self.person)
        self._ledger(tree)
        self.models, self.api, self.params, self.reference = extension_samples(tree, people)

    def _ledger(self, tree):
        """The MINI programme launched from SASAC; a task, report and evidence file per side."""
        install_library((DATA / "mini-programme.yaml").read_text(encoding="utf-8"))
        self.programme = Programme.objects.get(code="MINI")
        launch_programme(user=None, programme=self.programme, organisation=tree["SASAC"])
        self.task = {
            side: LedgerTask.objects.get(code=f"M-1-{org.code}") for side, org in self.org.items()
        }
        self.report = {
            side: report_services.save_report(
                user=None, task=task, status="in_progress", percent=10
            )
            for side, task in self.task.items()
        }
        self.evidence = {
            side: evidence_services.add_evidence(
                user=None, task=task, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")
            )
            for side, task in self.task.items()
        }

    def kwargs(self, entry, side: str) -> dict:
        names = list(entry.pattern.converters)
        cls = view_class(entry)
        model = getattr(cls, "model", None)
        by_model = {
            Organisation: self.org[side],
            Designation: self.designation[side],
            ApprovalRequest: self.approval[side],
            DesignationKind: DesignationKind.objects.first(),
            LedgerTask: self.task[side],
            ProgressReport: self.report[side],
            EvidenceVersion: self.evidence[side],
            **{cls_: pair[side] for cls_, pair in self.models.items()},
        }
        values = {}
        for name in names:
            if name == "pk" and model in by_model:
                values[name] = by_model[model].pk
            elif model in self.models and hasattr(by_model[model], name):
                values[name] = getattr(by_model[model], name)
            elif name in self.params:
                values[name] = self.params[name][side]
            elif name == "pk" and cls is not None and "people" in cls.__module__:
                values[name] = self.person.pk
            elif name == "role_pk":
                values[name] = self.role.pk
            elif name == "code" and model is Programme:
                values[name] = self.programme.code
            else:
                raise LookupError(f"no sample for <{name}> of {entry.pattern} ({cls})")
        return values


def extension_samples(tree, people):
    """Merge what each `tests/samples_<app>.py` returns from `build(tree, people)`.

    A module returns any of: "models" {Model: {"a": obj, "b": obj}} (objects of group A and B
    for URLs whose view has that model; a URL parameter is read as the attribute of that name),
    "api" {basename: {"a": obj, "b": obj}}, "params" {name: {"a": value, "b": value}} and
    "reference" (models every business user reads, so another group's object is no 404).
    """
    models, api, params, reference = {}, {}, {}, set()
    for name in SAMPLE_MODULES:
        found = importlib.import_module(f"tests.{name}").build(tree, people)
        models.update(found.get("models", {}))
        api.update(found.get("api", {}))
        params.update(found.get("params", {}))
        reference.update(found.get("reference", ()))
    return models, api, params, reference


@pytest.fixture(scope="module")
def _matrix(django_db_setup, django_db_blocker, tmp_path_factory):
    """The tree, its people and every URL's samples, built once for the module (every app's
    samples cost about a second): each test's requests roll back to them."""

    def build():
        tree = build_tree()
        people = build_people(tree)
        return tree, people, Samples(tree, people)

    with built_once(django_db_blocker, tmp_path_factory.mktemp("permissions"), build) as built:
        yield built


@pytest.fixture
def tree(_matrix, db):
    return _matrix[0]


@pytest.fixture
def people(_matrix, db):
    return _matrix[1]


@pytest.fixture
def samples(_matrix, db):
    return _matrix[2]


def url_of(entry, name, kwargs) -> str:
    return reverse(name, kwargs=kwargs)


PAGES = page_patterns()


def test_every_url_is_covered(samples):
    for name, entry in PAGES:
        samples.kwargs(entry, "a")  # raises for a parameter without a sample
        kind, _value = required(entry)
        assert kind != "any" or name.startswith("core:"), (
            f"{name} has no permission gate: use ScopedViewMixin or AdminRoleRequiredMixin"
        )


@pytest.mark.parametrize(("name", "entry"), PAGES, ids=[n for n, _ in PAGES])
def test_anonymous_is_sent_to_sign_in(client, samples, name, entry):
    response = client.get(url_of(entry, name, samples.kwargs(entry, "a")))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


@pytest.mark.parametrize(("name", "entry"), PAGES, ids=[n for n, _ in PAGES])
def test_other_group_gets_404(client_for, people, samples, name, entry):
    kind, _value = required(entry)
    kwargs = samples.kwargs(entry, "a")
    if kind != "business" or not kwargs:
        pytest.skip("no object of another group in this URL")
    model = getattr(view_class(entry), "model", None)
    if model is Programme or model in samples.reference:
        pytest.skip("reference data every business user reads")
    response = client_for(people["outsider"]).get(url_of(entry, name, kwargs))
    assert response.status_code == 404


def expected_allowed(entry, who: str) -> bool:
    kind, value = required(entry)
    if kind == "admin":
        return who in value
    if kind == "business":
        return who in BUSINESS_ROLES and value in ROLE_ACTIONS[who]
    return True


@pytest.mark.parametrize("who", BUSINESS_ROLES + ADMINS)
def test_each_role_reaches_only_what_it_may(client_for, people, samples, who):
    client = client_for(people[who])
    wrong = []
    for name, entry in PAGES:
        url = url_of(entry, name, samples.kwargs(entry, "a"))
        response = client.get(url)
        status = response.status_code
        to_login = status == 302 and response["Location"].startswith(reverse("core:login"))
        allowed = status in (200, 405) or (status == 302 and not to_login)
        if allowed != expected_allowed(entry, who) or status not in (200, 302, 403, 404, 405):
            wrong.append(f"{url} ({name}): {status}")
    assert not wrong, f"{who}: " + "; ".join(wrong)


# --- The API -----------------------------------------------------------------------------


def api_routes():
    router = import_string("reformtrack.api_urls.router")
    return [(prefix, viewset, basename) for prefix, viewset, basename in router.registry]


ROUTES = api_routes()


def api_sample(basename, samples, side):
    return {
        "organisation": samples.org[side],
        "designation": samples.designation[side],
        "approval": samples.approval[side],
        "ledgertask": samples.task[side],
        "progressreport": samples.report[side],
        "evidence": samples.evidence[side],
        **{name: pair[side] for name, pair in samples.api.items()},
    }.get(basename)


@pytest.mark.parametrize(("prefix", "viewset", "basename"), ROUTES, ids=[r[0] for r in ROUTES])
def test_api_anonymous_is_refused(client, samples, prefix, viewset, basename):
    assert client.get(reverse(f"{basename}-list")).status_code in (401, 403)


@pytest.mark.parametrize(("prefix", "viewset", "basename"), ROUTES, ids=[r[0] for r in ROUTES])
def test_api_other_group_gets_404(api_for, people, samples, prefix, viewset, basename):
    obj = api_sample(basename, samples, "a")
    if obj is None:
        pytest.skip("the caller's own records only")
    api = api_for(people["outsider"])
    assert api.get(reverse(f"{basename}-detail", args=[obj.pk])).status_code == 404
    listed = api.get(reverse(f"{basename}-list")).json()["results"]
    assert obj.pk not in [row["id"] for row in listed]


@pytest.mark.parametrize("who", BUSINESS_ROLES + ADMINS)
def test_api_roles(api_for, people, samples, who):
    api = api_for(people[who])
    wrong = []
    for _prefix, viewset, basename in ROUTES:
        status = api.get(reverse(f"{basename}-list")).status_code
        if (status == 200) != (who in BUSINESS_ROLES):
            wrong.append(f"list {basename}: {status}")
        obj = api_sample(basename, samples, "a")
        if obj is None:
            continue
        detail = reverse(f"{basename}-detail", args=[obj.pk])
        status = api.get(detail).status_code
        if (status == 200) != (who in BUSINESS_ROLES):
            wrong.append(f"get {detail}: {status}")
        status = api.patch(detail, {}, format="json").status_code
        action = getattr(viewset, "write_action", None)
        may_write = who in BUSINESS_ROLES and action is not None and action in ROLE_ACTIONS[who]
        if action is None or not hasattr(viewset, "partial_update"):
            ok = status in (403, 404, 405)
        else:
            # 428: allowed, but a versioned object needs the version read (If-Match)
            ok = (status in (200, 428)) if may_write else status in (403, 404)
        if not ok:
            wrong.append(f"patch {detail}: {status}")
    assert not wrong, f"{who}: " + "; ".join(wrong)


def test_schema_and_docs_need_sign_in(client, client_for, people):
    assert client.get("/api/schema/").status_code in (401, 403)
    response = client_for(people["viewer"]).get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/orgs/organisations/" in response.content


def test_users_exist():
    assert get_user_model() is not None
