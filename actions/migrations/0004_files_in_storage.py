from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0003_board_export_job"),
    ]

    operations: list = []
