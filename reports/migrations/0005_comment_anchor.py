from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_render_job"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="anchor",
            field=models.UUIDField(blank=True, null=True),
        ),
    ]
