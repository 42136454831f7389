from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0015_files_in_storage"),
    ]

    operations: list = []
