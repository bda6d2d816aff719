"""Rollup cells get shards, so a tenant's concurrent sessions stop queueing for one row lock."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("handoffs", "0017_live_chat_relay"),
    ]

    # The new unique key exists before the old one goes, so writers always have one to meet.
    operations = [
        migrations.AddField(
            model_name="sessionrollup",
            name="shard",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddConstraint(
            model_name="sessionrollup",
            constraint=models.UniqueConstraint(
                fields=("tenant", "day", "channel", "kind", "key", "shard"),
                name="rollup_unique_cell_shard",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="sessionrollup",
            name="rollup_unique_cell",
        ),
    ]
