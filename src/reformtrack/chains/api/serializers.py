"""Serializers of the chains API."""

from rest_framework import serializers

from ..choices import ItemKind, ItemStatus
from ..models import Chain, FirstItem, GreenChannel, KeyItem, Procurement

CODE = {"slug_field": "code", "read_only": True}


class ChainSerializer(serializers.ModelSerializer):
    leader = serializers.SlugRelatedField(**CODE)
    supervisor = serializers.SlugRelatedField(**CODE)

    class Meta:
        model = Chain
        fields = ["id", "code", "name_zh", "name_en", "leader", "supervisor", "batch", "version"]


class ChainDetailSerializer(serializers.Serializer):
    """The chain's map and resilience summary (as `reformtrack chains show --json`)."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    leader = serializers.CharField()
    supervisor = serializers.CharField()
    batch = serializers.CharField()
    links = serializers.ListField(child=serializers.DictField())
    resilience = serializers.DictField()


class SupplierSerializer(serializers.Serializer):
    name = serializers.CharField()
    origin = serializers.CharField()


class TaskStateSerializer(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.CharField()
    percent = serializers.DecimalField(max_digits=5, decimal_places=2)


class KeyItemSerializer(serializers.ModelSerializer):
    chain = serializers.CharField(source="link.chain.code", read_only=True)
    link = serializers.CharField(source="link.code", read_only=True)
    suppliers = SupplierSerializer(many=True, read_only=True)
    tasks = TaskStateSerializer(many=True, read_only=True)

    class Meta:
        model = KeyItem
        fields = ["id", "chain", "link", "kind", "name", "status", "note", "suppliers", "tasks",
                  "version"]  # fmt: skip


class KeyItemInSerializer(serializers.Serializer):
    chain = serializers.CharField(max_length=40)
    link = serializers.CharField(max_length=40)
    kind = serializers.ChoiceField(choices=ItemKind.choices)
    name = serializers.CharField(max_length=200)
    status = serializers.ChoiceField(choices=ItemStatus.choices)
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    domestic = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list, max_length=50
    )
    foreign = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list, max_length=50
    )


class FirstItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = FirstItem
        fields = ["id", "category", "name", "supplier", "certificate_no", "certificate_date"]


class ProcurementSerializer(serializers.ModelSerializer):
    enterprise = serializers.SlugRelatedField(**CODE)
    item_name = serializers.CharField(source="item.name", read_only=True)

    class Meta:
        model = Procurement
        fields = ["id", "enterprise", "item", "item_name", "date", "amount", "tender_ref",
                  "green_channel"]  # fmt: skip
        read_only_fields = fields


class ProcurementInSerializer(serializers.Serializer):
    enterprise = serializers.CharField(max_length=40)
    item = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    date = serializers.DateField()
    amount = serializers.DecimalField(max_digits=22, decimal_places=2, min_value=0)
    tender_ref = serializers.CharField(max_length=80, required=False, default="", allow_blank=True)
    green_channel = serializers.BooleanField(required=False, default=False)


class GreenChannelSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(**CODE)

    class Meta:
        model = GreenChannel
        fields = ["id", "organisation", "established_on", "note"]


class FirstsYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    enterprises_with_channel = serializers.IntegerField()
    new_channels = serializers.IntegerField()
    procurements = serializers.IntegerField()
    volume_green = serializers.DecimalField(max_digits=24, decimal_places=2)
    volume_total = serializers.DecimalField(max_digits=24, decimal_places=2)


class FirstsSummarySerializer(serializers.Serializer):
    enterprises_with_channel = serializers.IntegerField()
    trend = FirstsYearSerializer(many=True)
