"""Loads the OCOP groups and sub-groups of Decision 148/QĐ-TTg from marketplace/data/."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "ocop_groups.json"


def load_groups(apps, schema_editor):
    OcopGroup = apps.get_model("marketplace", "OcopGroup")
    OcopSubgroup = apps.get_model("marketplace", "OcopSubgroup")
    for position, item in enumerate(json.loads(DATA.read_text(encoding="utf-8")), start=1):
        group, _ = OcopGroup.objects.update_or_create(
            code=item["code"], defaults={"name": item["name"], "position": position}
        )
        for sub_position, sub in enumerate(item["subgroups"], start=1):
            OcopSubgroup.objects.update_or_create(
                code=sub["code"],
                defaults={"group": group, "name": sub["name"], "position": sub_position},
            )


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0001_initial")]

    operations = [migrations.RunPython(load_groups, migrations.RunPython.noop)]
