from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("chronology", "0017_files_in_storage"),
    ]

    operations: list = []
