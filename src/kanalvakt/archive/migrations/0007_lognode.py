"""Stored perfect-subtree hashes of the integrity log (LogNode), computed once from the
leaves already logged; appending stores new ones from here on."""

from django.db import migrations, models

NODE_LEVEL = 8  # as kanalvakt.archive.integrity.NODE_LEVEL when this was written


def store_nodes(apps, schema_editor):
    from kanalvakt.archive.merkle import FrontierBuilder

    LogLeaf = apps.get_model("archive", "LogLeaf")
    LogNode = apps.get_model("archive", "LogNode")
    builder, nodes = FrontierBuilder(), []
    rows = LogLeaf.objects.order_by("index").values_list("leaf_hash", flat=True)
    for leaf_hash in rows.iterator(chunk_size=10_000):
        for level, index, node in builder.append(bytes(leaf_hash)):
            if level >= NODE_LEVEL:
                nodes.append(LogNode(level=level, index=index, hash=node))
    LogNode.objects.bulk_create(nodes, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("archive", "0006_search_sort_key")]

    operations = [
        migrations.CreateModel(
            name="LogNode",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("level", models.PositiveSmallIntegerField()),
                ("index", models.BigIntegerField()),
                ("hash", models.BinaryField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("level", "index"), name="archive_lognode_position"
                    )
                ],
            },
        ),
        migrations.RunPython(store_nodes, migrations.RunPython.noop),
    ]
