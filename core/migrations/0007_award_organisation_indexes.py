import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_award_organisation"),
    ]

    operations = [
        migrations.AlterField(
            model_name="award",
            name="organisation",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.organisation",
            ),
        ),
        migrations.AddIndex(
            model_name="award",
            index=models.Index(fields=["organisation", "-issued_on", "id"], name="award_org_newest_idx"),
        ),
        migrations.AddIndex(
            model_name="award",
            index=models.Index(
                condition=models.Q(("revoked_at__isnull", False)),
                fields=["organisation", "revoked_at"],
                name="award_org_revoked_idx",
            ),
        ),
        # Fresh statistics for the filled column: without them PostgreSQL guesses
        # a few rows per organisation and sorts them all instead of using the index.
        migrations.RunSQL("ANALYZE core_award", migrations.RunSQL.noop),
    ]
