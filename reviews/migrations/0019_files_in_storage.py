from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0018_scoping"),
    ]

    operations: list = []
