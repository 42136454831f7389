from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0004_files_in_storage"),
    ]

    operations: list = []
