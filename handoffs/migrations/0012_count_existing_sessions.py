from django.db import migrations

from handoffs.models.rollups import rebuild


def count_sessions(apps, schema_editor):
    rebuild(apps.get_model("handoffs", "HandoffSession").objects.all(),
            apps.get_model("handoffs", "SessionRollup"))  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("handoffs", "0011_session_rollups")]

    operations = [migrations.RunPython(count_sessions, migrations.RunPython.noop)]
