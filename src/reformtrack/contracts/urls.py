"""Pages of the contracts app (people and incentives)."""

from django.urls import path

from . import views

app_name = "contracts"

urlpatterns = [
    path("contracts/", views.HomeView.as_view(), name="home"),
    path("contracts/member/<int:pk>/", views.MemberView.as_view(), name="member"),
    path("contracts/contract/<int:pk>/", views.AnnualView.as_view(), name="annual"),
    path("contracts/org/<int:pk>/figures/", views.FiguresView.as_view(), name="figures"),
    path("contracts/contract/<int:pk>/word/", views.WordView.as_view(), name="word"),
    path("contracts/exits/", views.ExitsView.as_view(), name="exits"),
    path("contracts/export/", views.ExportView.as_view(), name="export"),
    path("contracts/import/", views.ImportView.as_view(), name="import"),
]
