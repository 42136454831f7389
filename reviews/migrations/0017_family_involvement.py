from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0016_panel_meetings"),
    ]

    operations: list = []
