"""REST endpoints of organisations and designations, under the scoping layer."""

from django.db.models import Prefetch

from reformtrack.core.api.viewsets import ScopedModelViewSet
from reformtrack.core.scoping import Action

from .. import services
from ..filtersets import DesignationFilterSet, OrganisationFilterSet
from ..models import Designation, Organisation
from .serializers import DesignationSerializer, OrganisationSerializer


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
        serializer.instance = services.create_organisation(
            user=self.request.user, parent=parent, **data
        )

    def perform_update(self, serializer):
        serializer.instance = services.change_organisation(
            user=self.request.user,
            organisation=serializer.instance,
            **serializer.validated_data,
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
        serializer.instance = services.add_designation(
            user=self.request.user,
            organisation=data.pop("organisation"),
            **data,
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("organisation", None)
        serializer.instance = services.update_designation(
            user=self.request.user,
            designation=serializer.instance,
            **data,
        )

    def perform_destroy(self, instance):
        services.delete_designation(user=self.request.user, designation=instance)
