from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_invitation_withdrawn"),
    ]

    operations: list = [
        migrations.AddField(
            model_name="invitation",
            name="purpose",
            field=models.CharField(
                choices=[("account", "An account"), ("family_reader", "A family reader's account")],
                default="account",
                max_length=20,
            ),
        ),
    ]
