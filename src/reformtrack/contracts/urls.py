"""Pages of the contracts app (people and incentives)."""

from django.urls import path

from . import views, views_edit, views_tenure

app_name = "contracts"

urlpatterns = [
    path("contracts/", views.HomeView.as_view(), name="home"),
    path("contracts/member/<int:pk>/", views.MemberView.as_view(), name="member"),
    path(
        "contracts/member/<int:pk>/edit/", views_edit.MemberEditView.as_view(), name="member-edit"
    ),
    path(
        "contracts/org/<int:org_pk>/member/new/",
        views_edit.MemberEditView.as_view(),
        name="member-new",
    ),  # fmt: skip
    path(
        "contracts/member/<int:member_pk>/tenure/new/",
        views_edit.TenureEditView.as_view(),
        name="tenure-new",
    ),  # fmt: skip
    path(
        "contracts/tenure/<int:pk>/edit/", views_edit.TenureEditView.as_view(), name="tenure-edit"
    ),
    path("contracts/tenure/<int:pk>/", views_tenure.TenureView.as_view(), name="tenure"),
    path(
        "contracts/tenure/<int:pk>/submit/",
        views_edit.TenureSubmitView.as_view(),
        name="tenure-submit",
    ),  # fmt: skip
    path(
        "contracts/tenure/<int:tenure_pk>/annual/new/",
        views_edit.AnnualEditView.as_view(),
        name="annual-new",
    ),  # fmt: skip
    path("contracts/contract/<int:pk>/", views.AnnualView.as_view(), name="annual"),
    path(
        "contracts/contract/<int:pk>/edit/", views_edit.AnnualEditView.as_view(), name="annual-edit"
    ),  # fmt: skip
    path("contracts/org/<int:pk>/figures/", views_edit.FiguresView.as_view(), name="figures"),
    path(
        "contracts/org/<int:pk>/figures/export/",
        views_edit.FiguresExportView.as_view(),
        name="figures-export",
    ),  # fmt: skip
    path(
        "contracts/org/<int:org_pk>/plan/new/", views_edit.PlanEditView.as_view(), name="plan-new"
    ),  # fmt: skip
    path("contracts/plan/<int:pk>/edit/", views_edit.PlanEditView.as_view(), name="plan-edit"),
    path("contracts/contract/<int:pk>/word/", views.WordView.as_view(), name="word"),
    path("contracts/exits/", views.ExitsView.as_view(), name="exits"),
    path("contracts/reads/", views_edit.PayReadsView.as_view(), name="reads"),
    path("contracts/export/", views.ExportView.as_view(), name="export"),
    path("contracts/import/", views.ImportView.as_view(), name="import"),
    path(
        "contracts/actuals/import/",
        views_tenure.ActualsImportView.as_view(),
        name="actuals-import",
    ),  # fmt: skip
    path(
        "contracts/actuals/export/",
        views_tenure.ActualsExportView.as_view(),
        name="actuals-export",
    ),  # fmt: skip
]
