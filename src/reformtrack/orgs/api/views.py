"""REST endpoints of organisations and designations, under the scoping layer."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from rest_framework import exceptions

from reformtrack.core.api.viewsets import ScopedModelViewSet
from reformtrack.core.scoping import Action

from .. import services
from ..filtersets import DesignationFilterSet, OrganisationFilterSet
from ..models import Designation, Organisation
from .serializers import DesignationSerializer, OrganisationSerializer


def _run(call, **kwargs):
    """Service errors as API errors: 400 with field messages, 403 when out of scope."""
    try:
        return call(**kwargs)
    except DjangoValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        raise exceptions.ValidationError(detail) from exc
    except DjangoPermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc)) from exc


class OrganisationViewSet(ScopedModelViewSet):
    """Organisations the caller may see; creating, changing and moving need `manage`."""

    model = Organisation
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet
    write_action = Action.MANAGE
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("parent")
            .prefetch_related(
                Prefetch("designations", queryset=Designation.objects.select_related("kind"))
            )
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        parent = data.pop("parent")
        serializer.instance = _run(
            services.create_organisation, user=self.request.user, parent=parent, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        org = serializer.instance
        new_parent = data.pop("parent", org.parent)
        if new_parent is not None and new_parent.pk != org.parent_id:
            org = _run(
                services.move_organisation,
                user=self.request.user,
                organisation=org,
                new_parent=new_parent,
            )
        serializer.instance = _run(
            services.update_organisation, user=self.request.user, organisation=org, **data
        )


class DesignationViewSet(ScopedModelViewSet):
    model = Designation
    serializer_class = DesignationSerializer
    filterset_class = DesignationFilterSet
    write_action = Action.MANAGE

    def get_queryset(self):
        return super().get_queryset().select_related("organisation", "kind")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = _run(
            services.add_designation,
            user=self.request.user,
            organisation=data.pop("organisation"),
            **data,
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("organisation", None)
        serializer.instance = _run(
            services.update_designation,
            user=self.request.user,
            designation=serializer.instance,
            **data,
        )

    def perform_destroy(self, instance):
        _run(services.delete_designation, user=self.request.user, designation=instance)
