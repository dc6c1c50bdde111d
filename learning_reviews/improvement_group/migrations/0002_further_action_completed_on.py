# Written by hand: the protocol's name, "further action", for the date it was marked complete.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('improvement_group', '0001_initial'),
    ]

    operations = [
        migrations.RenameField(
            model_name='decision',
            old_name='follow_up_completed_on',
            new_name='further_action_completed_on',
        ),
    ]
