"""Name the people known before learning records: each user's actor keys (mbox, its SHA-1, account).

From now on ``core.services.accounts.identity_sync`` keeps them current.
"""

from django.conf import settings
from django.db import migrations


def add_keys(apps, schema_editor):
    from core.domain.learning.actors import person_keys

    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    LearnerKey = apps.get_model("core", "LearnerKey")
    rows = {}
    for user in User.objects.exclude(email="").only("pk", "username", "email").iterator():
        email = user.email.strip().lower()
        for key in person_keys(
            [email], username=user.username, account_home_page=settings.XAPI_ACCOUNT_HOME_PAGE
        ):
            rows[key] = LearnerKey(key=key, email=email, user_id=user.pk)
    LearnerKey.objects.bulk_create(rows.values(), batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("core", "0010_learning_records")]

    operations = [migrations.RunPython(add_keys, migrations.RunPython.noop)]
