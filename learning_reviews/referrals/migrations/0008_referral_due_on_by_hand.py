from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0007_due_on"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="due_on_by_hand",
            field=models.BooleanField(default=False),
        ),
    ]
