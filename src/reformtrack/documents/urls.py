"""Pages of the documents app."""

from django.urls import path

from . import views

app_name = "documents"

urlpatterns: list = [
    path("documents/", views.DocumentListView.as_view(), name="list"),
    path("documents/upload/", views.DocumentUploadView.as_view(), name="upload"),
    path("documents/<int:pk>/", views.DocumentDetailView.as_view(), name="document"),
    path("documents/items/<int:pk>/review/", views.ItemReviewView.as_view(), name="item-review"),
    path("documents/items/<int:pk>/promote/", views.ItemPromoteView.as_view(), name="item-promote"),
]
