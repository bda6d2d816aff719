from django.db import migrations

SWEEP = "handoffs: resume stalled sessions"
PROBE = "handoffs: probe tenants in an outage"


def every_minute(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.filter(name=SWEEP).update(minutes=1)
    Schedule.objects.get_or_create(
        name=PROBE,
        defaults={
            "func": "handoffs.tasks.probe_outages",
            "schedule_type": "I",  # minutes
            "minutes": 1,
            "repeats": -1,
        },
    )


def every_five_minutes(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.filter(name=SWEEP).update(minutes=5)
    Schedule.objects.filter(name=PROBE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("handoffs", "0008_leases_and_outages"),
        ("django_q", "0018_task_success_index"),
    ]

    operations = [migrations.RunPython(every_minute, every_five_minutes)]
