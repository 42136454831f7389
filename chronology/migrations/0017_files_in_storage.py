from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("chronology", "0016_entry_vectors_people_and_rest"),
    ]

    operations: list = []
