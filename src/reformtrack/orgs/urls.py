from django.urls import path

from .views import benchmarks, designations, organisations, people, system

app_name = "orgs"

urlpatterns = [
    path("orgs/", organisations.OrganisationListView.as_view(), name="organisations"),
    path("orgs/tree/", organisations.OrganisationTreeView.as_view(), name="tree"),
    path("orgs/<int:pk>/", organisations.OrganisationDetailView.as_view(), name="organisation"),
    path(
        "orgs/<int:pk>/children/",
        organisations.OrganisationChildrenView.as_view(),
        name="children",
    ),
    path("orgs/<int:pk>/add/", organisations.OrganisationCreateView.as_view(), name="add_child"),
    path("orgs/<int:pk>/edit/", organisations.OrganisationUpdateView.as_view(), name="edit"),
    path("orgs/<int:pk>/move/", organisations.OrganisationMoveView.as_view(), name="move"),
    path(
        "orgs/<int:pk>/designations/add/",
        designations.DesignationCreateView.as_view(),
        name="designation_add",
    ),
    path(
        "designations/<int:pk>/edit/",
        designations.DesignationUpdateView.as_view(),
        name="designation_edit",
    ),
    path(
        "designations/<int:pk>/delete/",
        designations.DesignationDeleteView.as_view(),
        name="designation_delete",
    ),
    path("benchmarks/", benchmarks.BenchmarkListView.as_view(), name="benchmarks"),
    path("people/", people.UserListView.as_view(), name="users"),
    path("people/new/", people.UserCreateView.as_view(), name="user_add"),
    path("people/<int:pk>/", people.UserDetailView.as_view(), name="user"),
    path("people/<int:pk>/roles/", people.RoleGrantView.as_view(), name="role_grant"),
    path(
        "people/<int:pk>/roles/<int:role_pk>/revoke/",
        people.RoleRevokeView.as_view(),
        name="role_revoke",
    ),
    path("people/<int:pk>/password/", people.PasswordResetView.as_view(), name="user_password"),
    path("people/<int:pk>/state/", people.UserStateView.as_view(), name="user_state"),
    path("people/<int:pk>/admin-role/", people.AdminRoleView.as_view(), name="user_admin_role"),
    path("people/resets/", people.ResetListView.as_view(), name="resets"),
    path("people/tokens/", people.TokenAdminView.as_view(), name="tokens"),
    path("people/events/", people.AccountEventsView.as_view(), name="account_events"),
    path(
        "system/designation-kinds/",
        system.DesignationKindListView.as_view(),
        name="designation_kinds",
    ),
    path(
        "system/designation-kinds/new/",
        system.DesignationKindCreateView.as_view(),
        name="designation_kind_add",
    ),
    path(
        "system/designation-kinds/<int:pk>/",
        system.DesignationKindUpdateView.as_view(),
        name="designation_kind_edit",
    ),
]
