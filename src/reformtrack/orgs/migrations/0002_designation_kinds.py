"""The designation kinds named in domain.md; further kinds are added as data by the system admin."""

from django.db import migrations

KINDS = [
    ("DOUBLE_HUNDRED", "双百企业", "Double Hundred enterprise", False, 10),
    ("SCI_TECH_DEMO", "科改示范企业", "Sci-Tech Reform Demonstration enterprise", False, 20),
    ("CHAIN_LEADER", "链长企业", "Chain-leader enterprise", True, 30),
    ("MGMT_BENCHMARK", "管理标杆企业", "Management benchmark enterprise", False, 40),
]


def add_kinds(apps, schema_editor):
    DesignationKind = apps.get_model("orgs", "DesignationKind")
    for code, name_zh, name_en, requires_chain, order in KINDS:
        DesignationKind.objects.update_or_create(
            code=code,
            defaults={
                "name_zh": name_zh,
                "name_en": name_en,
                "requires_chain": requires_chain,
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
