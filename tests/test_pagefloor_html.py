"""The request floor's shortcuts draw exactly what the templates drew (issue 21, item 3): the
header's menus rendered once per language, admin role and URL prefix (core/templatetags/
menu_tags.py), a table's header written in Python (core/templatetags/table_body.py), and the
session's user read with compiled SQL still checked on every request (core/middleware.py)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse, set_script_prefix
from django.utils import translation

from reformtrack.core.context_processors import nav_for
from reformtrack.documents.models import Cluster, Document
from reformtrack.documents.tables import DocumentTable
from reformtrack.orgs.models import Organisation
from reformtrack.orgs.tables import OrganisationTable
from reformtrack.programs.models import LedgerTask
from reformtrack.programs.tables import LedgerTable

# base.html's menus as they were written inline before (the reference the cached ones match).
INLINE_MENU = """{% load i18n menu_tags %}    {% if not user.admin_role %}
      <details class="menu"><summary>{% translate "Organisations" %}</summary><div class="menu-list">
        <a href="{% url 'orgs:organisations' %}">{% translate "Organisations" %}</a>
        <a href="{% url 'orgs:tree' %}">{% translate "Tree" %}</a>
      </div></details>
      {% menu_groups app_nav as groups %}{% for group in groups %}{% if group.label %}
      <details class="menu"><summary>{{ group.label }}</summary><div class="menu-list">
        {% for url_name, label in group.entries %}<a href="{% url url_name %}">{{ label }}</a>
        {% endfor %}</div></details>{% else %}{% for url_name, label in group.entries %}
      <a href="{% url url_name %}">{{ label }}</a>{% endfor %}{% endif %}{% endfor %}
    {% elif user.admin_role == "audit" %}
      <a href="{% url 'core:audit' %}">{% translate "Audit log" %}</a>
      <a href="{% url 'orgs:users' %}">{% translate "Users and roles" %}</a>
      <a href="{% url 'orgs:account_events' %}">{% translate "Account and role events" %}</a>
    {% elif user.admin_role == "security" %}
      <a href="{% url 'orgs:users' %}">{% translate "Users and roles" %}</a>
      <a href="{% url 'orgs:tokens' %}">{% translate "API tokens" %}</a>
    {% elif user.admin_role == "system" %}
      <a href="{% url 'orgs:users' %}">{% translate "Users and roles" %}</a>
      <a href="{% url 'orgs:designation_kinds' %}">{% translate "Designation kinds" %}</a>
    {% endif %}
"""  # noqa: E501
INLINE_ACCOUNT = """{% load i18n %}        <a href="{% url 'core:password_change' %}">{% translate "Change password" %}</a>
        {% if not user.admin_role %}<a href="{% url 'core:tokens' %}">{% translate "My API tokens" %}</a>
        <a href="{% url 'docs' %}">{% translate "API" %}</a>{% endif %}
"""  # noqa: E501
CACHED = "{% load menu_tags %}{% main_menu %}|{% account_links %}"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_cached_menus_read_as_the_inline_ones_for_every_role(people, language):
    with translation.override(language):
        for user in people.values():
            context = {"user": user, "app_nav": nav_for(user)}
            inline = Template(INLINE_MENU + "|" + INLINE_ACCOUNT).render(Context(context))
            assert Template(CACHED).render(Context(context)) == inline


def test_the_cached_menus_follow_the_language_and_the_url_prefix(people):
    user = people["reform_office"]
    with translation.override("en"):
        english = Template(CACHED).render(Context({"user": user}))
    with translation.override("zh-hans"):
        chinese = Template(CACHED).render(Context({"user": user}))
    assert "My API tokens" in english and "My API tokens" not in chinese
    try:
        set_script_prefix("/reform/")
        moved = Template(CACHED).render(Context({"user": user}))
    finally:
        set_script_prefix("/")
    assert 'href="/reform/accounts/tokens/"' in moved and 'href="/accounts/tokens/"' in chinese


def test_each_role_sees_its_own_menu_on_the_page(client_for, people):
    audit = client_for(people["audit"]).get(reverse("core:audit")).content.decode()
    office = client_for(people["reform_office"]).get(reverse("core:home")).content.decode()
    assert reverse("core:audit") in nav(audit) and reverse("orgs:tree") not in nav(audit)
    assert reverse("orgs:tree") in nav(office) and reverse("core:audit") not in nav(office)


def nav(page: str) -> str:
    return re.search(r'<nav class="mainnav".*?</nav>', page, re.S).group(0)


def thead(html: str) -> str:
    """What the table.thead block wrote: from after <table ...> to the block's last blank
    lines after </thead> (the tbody block that follows is core/table.html's own)."""
    start = html.index(">", html.index("<table")) + 1
    return html[start : html.index("</thead>") + len("</thead>\n            \n            ")]


@pytest.mark.parametrize(
    "query", ["", "?sort=-deadline&page=2", "?q=%3Cb%3E+%26&status=done&status=open&sort=code"]
)
def test_the_table_header_reads_as_django_tables2_draws_it(people, programme, query):
    request = RequestFactory().get("/ledger/" + query)
    request.user = people["reform_office"]
    tables = [
        LedgerTable(LedgerTask.objects.all(), order_by=request.GET.get("sort")),
        OrganisationTable(Organisation.objects.all()),
    ]
    for table in tables:
        table.paginate(page=1, per_page=10)
        table.template_name = "core/table.html"
        fast = table.as_html(request)
        table.template_name = "django_tables2/table.html"
        stock = table.as_html(request)
        assert "<th" in fast and thead(fast) == thead(stock)
    assert "&amp;" in thead(fast) or not query


def test_a_deactivated_user_or_a_new_password_signs_the_session_out_at_once(client_for, people):
    user = people["reform_office"]
    client = client_for(user)
    assert client.get(reverse("core:tokens")).status_code == 200
    user.set_password("An0ther#Passw0rd-2026")
    user.save()
    assert client.get(reverse("core:tokens")).status_code == 302  # sent to sign in
    client = client_for(user)
    assert client.get(reverse("core:tokens")).status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get(reverse("core:tokens")).status_code == 302
    user.is_active = True
    user.display_name = "新名字"
    user.save(update_fields=["is_active", "display_name"])
    client = client_for(user)
    assert "新名字" in client.get(reverse("core:tokens")).content.decode()  # read fresh


class CellByCell(DocumentTable):
    body_html = None  # table_rows draws each cell through django-tables2

    class Meta(DocumentTable.Meta):
        pass


def test_the_documents_rows_read_as_drawn_cell_by_cell(db):
    from django.template import RequestContext

    from reformtrack.core.templatetags.table_body import table_rows

    cluster = Cluster(pk=7, best_id=1)
    documents = [
        Document(pk=1, title='<b>"A" & B</b>', language="zh", source="国资委", spun=True),
        Document(pk=2, title="", filename="x.pdf", language="en", source="", published_on=None),
        Document(pk=3, title="T", language="he", source="s&p", published_on=dt.date(2024, 5, 2)),
        Document(pk=4, title="Copy", language="", source="x", published_on=dt.date(2021, 1, 1)),
    ]
    documents[0].cluster, documents[2].cluster = cluster, cluster
    documents[0].best_of_several = True
    request = RequestFactory().get("/documents/")
    for language in ("zh-hans", "en"):
        for hidden in ((), ("source", "published_on")):
            with translation.override(language):
                drawn = []
                for kind in (DocumentTable, CellByCell):
                    table = kind(documents)
                    for name in hidden:
                        table.columns.hide(name)
                    table.paginate(page=1, per_page=10)
                    drawn.append(table_rows(RequestContext(request), table))
                assert drawn[0] == drawn[1] and drawn[0].count("<tr") == 4
    assert "&lt;b&gt;&quot;A&quot; &amp; B&lt;/b&gt;" in drawn[0]


def test_the_home_page_shows_a_new_grant_and_a_renamed_organisation_at_once(
    client_for, people, tree
):
    """My organisations on the home page: SQL compiled once per set of grants, run fresh."""
    from reformtrack.orgs.models import RoleAssignment
    from reformtrack.orgs.services import grant_role, revoke_role

    user = people["reform_office"]
    client = client_for(user)

    def home() -> str:
        return client.get(reverse("core:home")).content.decode()

    other = tree["GROUP-B"]
    assert other.name not in home()
    grant_role(user=user, organisation=other, role="viewer")
    assert other.name in home()
    Organisation.objects.filter(pk=other.pk).update(name_zh="新的名称")
    assert "新的名称" in home()
    revoke_role(assignment=RoleAssignment.objects.get(user=user, organisation=other))
    assert "新的名称" not in home()
