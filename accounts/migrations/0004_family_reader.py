from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_invitation_withdrawn"),
    ]

    operations: list = []
