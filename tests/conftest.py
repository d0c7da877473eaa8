"""Shared fixtures: a small organisation tree, one user per role, signed-in clients."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db.models.signals import post_migrate
from django.test import Client
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from reformtrack.core.models import AdminRole
from reformtrack.core.security.otp import enrol
from reformtrack.core.services import users as user_services
from reformtrack.orgs import services as org_services
from reformtrack.orgs.uscc import check_character

from ._demo_once import SEEDS

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
DATA = Path(__file__).parent / "data"
# Debian's Chromium, driven by playwright (`playwright install` cannot work offline).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "Test#Pass2026"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    """Argon2 is the product's hasher (see test_security); tests hash fast to stay quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default UI language: a request made in English by an earlier
    test leaves English active in the thread, and messages built outside a request follow it."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded evidence goes to a throwaway folder, never the checkout's var/. Inside a demo
    loaded once for several tests (tests/_demo_once.py), each test starts from a copy of the
    files that load wrote: its media and the audit key that signed its audit rows."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REFORMTRACK_AUDIT_DIR = tmp_path / "audit"  # the audit key and checkpoints too
    if SEEDS:
        for name in ("media", "audit"):
            if (SEEDS[-1] / name).is_dir():
                shutil.copytree(SEEDS[-1] / name, tmp_path / name)


def make_uscc(seed: int) -> str:
    first17 = f"91110000{seed:09d}"
    return first17 + check_character(first17)


def seed_designation_kinds() -> None:
    """The kinds orgs' migrations put in, back if a live-server test's flush took them away
    (pytest-django flushes after a transactional test, migration data included)."""
    from importlib import import_module

    from reformtrack.orgs.models import DesignationKind

    kinds = import_module("reformtrack.orgs.migrations.0002_designation_kinds").KINDS
    for code, name_zh, name_en, requires_chain, order in kinds:
        DesignationKind.objects.get_or_create(
            code=code,
            defaults={"name_zh": name_zh, "name_en": name_en,
                      "requires_chain": requires_chain, "sort_order": order},
        )  # fmt: skip


def _kinds_back_after_flush(sender, **kwargs) -> None:
    """A live-server (transactional) test's flush emits post_migrate: the rows the migrations
    write (the audit chain's head, the designation kinds of orgs 0002 and 0003) are back before
    the next test, whichever test runs next on that worker, and committed without an audit
    record (the next test's chain starts empty, as after the migration)."""
    from importlib import import_module

    from reformtrack.core.models import AuditChainHead
    from reformtrack.orgs.models import DesignationKind

    if sender.label == "core":
        AuditChainHead.objects.bulk_create([AuditChainHead(pk=1)], ignore_conflicts=True)
    if sender.label != "orgs":
        return
    first = import_module("reformtrack.orgs.migrations.0002_designation_kinds").KINDS
    second = import_module("reformtrack.orgs.migrations.0003_benchmarks").KINDS
    kinds = [
        DesignationKind(code=code, name_zh=zh, name_en=en, requires_chain=chain, sort_order=order)
        for code, zh, en, chain, order in first
    ] + [
        DesignationKind(code=code, name_zh=zh, name_en=en, sort_order=order)
        for code, zh, en, order in second
    ]
    # as the migrations write them: no save signal, so no audit record
    DesignationKind.objects.bulk_create(kinds, ignore_conflicts=True)


post_migrate.connect(_kinds_back_after_flush, weak=False, dispatch_uid="tests-designation-kinds")


@pytest.fixture
def tree(db):
    """SASAC → GROUP-A → A-SUB → A-SUB2, SASAC → GROUP-B → B-SUB; a second root PROV."""
    return build_tree()


def build_tree() -> dict:
    """The `tree` fixture's organisations (also for set-ups built once per module)."""
    seed_designation_kinds()
    make = org_services.create_organisation
    orgs = {}
    orgs["SASAC"] = make(user=None, parent=None, code="SASAC", name_zh="国资委", kind="supervisor")
    orgs["GROUP-A"] = make(
        user=None, parent=orgs["SASAC"], code="GROUP-A", name_zh="甲集团", name_en="Group A",
        kind="group", uscc=make_uscc(1),
    )  # fmt: skip
    orgs["A-SUB"] = make(
        user=None, parent=orgs["GROUP-A"], code="A-SUB", name_zh="甲子公司", kind="subsidiary"
    )
    orgs["A-SUB2"] = make(
        user=None, parent=orgs["A-SUB"], code="A-SUB2", name_zh="甲孙公司", kind="subsidiary"
    )
    orgs["GROUP-B"] = make(
        user=None, parent=orgs["SASAC"], code="GROUP-B", name_zh="乙集团", name_en="Group B",
        kind="group",
    )  # fmt: skip
    orgs["B-SUB"] = make(
        user=None, parent=orgs["GROUP-B"], code="B-SUB", name_zh="乙子公司", kind="subsidiary"
    )
    orgs["PROV"] = make(user=None, parent=None, code="PROV", name_zh="省国资委", kind="supervisor")
    return orgs


def create_test_user(username, *, role=None, org=None, admin_role=AdminRole.NONE):
    """A user with `role` on `org` (and a second factor for administrators)."""
    user = user_services.create_user(username=username, password=PASSWORD, admin_role=admin_role)
    if role:
        org_services.grant_role(user=user, organisation=org, role=role)
    if admin_role:
        enrol(user)
    return user


@pytest.fixture
def make_user(db):
    return create_test_user


def build_people(tree) -> dict:
    """The `people` fixture's users (also for set-ups built once per module)."""
    make = create_test_user
    return {
        "supervisor_admin": make("sup", role="supervisor_admin", org=tree["SASAC"]),
        "reform_office": make("office_a", role="reform_office", org=tree["GROUP-A"]),
        "contributor": make("contrib_a", role="contributor", org=tree["A-SUB"]),
        "viewer": make("viewer_a", role="viewer", org=tree["GROUP-A"]),
        "outsider": make("office_b", role="reform_office", org=tree["GROUP-B"]),
        "system": make("sys", admin_role=AdminRole.SYSTEM),
        "security": make("sec", admin_role=AdminRole.SECURITY),
        "audit": make("aud", admin_role=AdminRole.AUDIT),
    }


@pytest.fixture
def people(tree, db):
    """One user per business role on group A (the supervisor admin on SASAC), an outsider on
    group B, and the three administrators."""
    return build_people(tree)


def signed_in(client, user):
    """Signs `user` in, second factor included for administrators."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for(db):
    def _client(user):
        return signed_in(Client(), user)

    return _client


@pytest.fixture
def api_for(db):
    def _client(user):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return _client


@pytest.fixture
def programme(tree):
    """The MINI programme (tests/data/mini-programme.yaml) launched from SASAC: a coverage task
    M-1 for every subsidiary, a one-off M-2 and an indicator M-3 for each group."""
    return launch_mini(tree)


def launch_mini(tree):
    """The `programme` fixture's launch (also for set-ups built once per module)."""
    from reformtrack.core.libraries import install_library
    from reformtrack.programs.models import Programme
    from reformtrack.programs.services.programmes import launch_programme

    install_library((DATA / "mini-programme.yaml").read_text(encoding="utf-8"))
    mini = Programme.objects.get(code="MINI")
    launch_programme(user=None, programme=mini, organisation=tree["SASAC"])
    return mini


@pytest.fixture
def task_of(programme):
    """task_of("M-1", "A-SUB"): the ledger row of a programme task at an organisation."""
    from reformtrack.programs.models import LedgerTask

    def _task(template_code, org_code):
        return LedgerTask.objects.get(programme=programme, code=f"{template_code}-{org_code}")

    return _task


# Fixtures that reach the test database: a test with none of them (and no django_db mark) gives
# the same answer on every database, so `make test` runs it in the SQLite pass only.
DB_FIXTURES = {
    "db", "transactional_db", "django_db_setup", "live_server", "_django_db_helper",
    "django_db_reset_sequences", "django_db_serialized_rollback",
}  # fmt: skip


def shared_setup_group(item) -> str | None:
    """The xdist group of a test that uses a set-up its module or class builds once (a demo
    loaded once, documents ingested once, a migrated site): named after that module or class, so
    one worker runs all its users and builds it once, where two workers would each build it."""
    info = getattr(item, "_fixtureinfo", None)
    for name in getattr(info, "names_closure", ()):
        for fixturedef in info.name2fixturedefs.get(name, ()):
            where = fixturedef.baseid.partition("::")  # defined in a test module or class
            if fixturedef.scope in ("module", "class") and where[0].endswith(".py"):
                return "once:" + fixturedef.baseid.replace("::", "/")
    return None


def name_xdist_group(item) -> None:
    """`--dist loadgroup` reads a test's group from its id ("…::test@group"). pytest-xdist 3.8
    writes that suffix to an attribute pytest 9.2 no longer reads (every group was ignored and
    split over both workers), so it is written here, once the markers below are all set."""
    names = {
        str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
        for mark in item.iter_markers("xdist_group")
    }
    suffix = "@" + "_".join(sorted(names))
    if not names or item.nodeid.endswith(suffix):
        return
    if hasattr(item, "_id"):  # pytest >= 9.2: a structured id, its string kept as parsed
        item._id = type(item._id).parse(item.nodeid + suffix)
    else:
        item._nodeid = item.nodeid + suffix


# First, before pytest's -m deselects by the `nodb` mark set here and xdist reads the groups.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (`make test` runs two workers), the browser tests stay together on one
    worker in their usual order: their live server flushes the database between them; so do
    the tests sharing a set-up built once per module or class. Tests that touch no database are
    marked `nodb` (the PostgreSQL pass deselects them)."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))
        elif not item.get_closest_marker("xdist_group") and (group := shared_setup_group(item)):
            item.add_marker(pytest.mark.xdist_group(group))
        uses_db = DB_FIXTURES.intersection(getattr(item, "fixturenames", ()))
        if not uses_db and not item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.nodb)
        if config.getoption("loadgroup", False):  # set on each worker under --dist loadgroup
            name_xdist_group(item)
