# Awards carry their badge's organisation, so an organisation's awards are read
# through an index of their own table (issue 14). Filled from the badges here;
# made required, and indexed, in 0007 (a separate transaction: PostgreSQL refuses
# to alter a table with pending foreign-key checks from the update).

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_badge_organisation(apps, schema_editor):
    Award = apps.get_model("core", "Award")
    Badge = apps.get_model("core", "Badge")
    Award.objects.update(
        organisation_id=Subquery(Badge.objects.filter(pk=OuterRef("badge_id")).values("organisation_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_open_badges_3"),
    ]

    operations = [
        migrations.AddField(
            model_name="award",
            name="organisation",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.organisation",
            ),
        ),
        migrations.RunPython(copy_badge_organisation, migrations.RunPython.noop),
    ]
