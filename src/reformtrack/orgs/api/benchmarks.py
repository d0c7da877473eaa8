"""REST endpoint of management benchmarks (read): the lists the caller may see, filterable by
kind and year; organisations and the naming supervisor by code."""

from rest_framework import serializers, viewsets

from reformtrack.core.api.viewsets import ScopedViewSetMixin

from ..benchmarks import Benchmark

CODE = {"slug_field": "code", "read_only": True}


class BenchmarkSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(**CODE)
    supervisor = serializers.SlugRelatedField(**CODE)
    designation = serializers.CharField(
        source="designation.kind.code", read_only=True, allow_null=True
    )

    class Meta:
        model = Benchmark
        fields = ["id", "kind", "organisation", "name", "areas", "supervisor", "year",
                  "named_on", "source", "designation"]  # fmt: skip


class BenchmarkViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Benchmark enterprises, projects and models with their management areas; `designation`
    is the code of the designation the benchmark organisation holds for it."""

    model = Benchmark
    write_action = None
    serializer_class = BenchmarkSerializer
    filterset_fields = ["kind", "year"]

    def get_queryset(self):
        return (
            super().get_queryset().select_related("organisation", "supervisor", "designation__kind")
        )
