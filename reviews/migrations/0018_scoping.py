from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0017_family_involvement"),
    ]

    operations: list = []
