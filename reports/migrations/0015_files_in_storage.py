from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0014_family_reader"),
    ]

    operations: list = []
