from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0019_files_in_storage"),
    ]

    operations: list = []
