from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0015_partnership_logo_row"),
    ]

    operations: list = []
