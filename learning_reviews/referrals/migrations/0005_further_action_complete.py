# Written by hand: the status "follow_up_complete" takes the protocol's name,
# "further_action_complete". Existing referrals move with it, both ways.

from django.db import migrations, models

OLD = 'follow_up_complete'
NEW = 'further_action_complete'


def forwards(apps, schema_editor):
    Referral = apps.get_model('referrals', 'Referral')
    Referral.objects.filter(status=OLD).update(status=NEW)


def backwards(apps, schema_editor):
    Referral = apps.get_model('referrals', 'Referral')
    Referral.objects.filter(status=NEW).update(status=OLD)


class Migration(migrations.Migration):

    dependencies = [
        ('referrals', '0004_group_statuses'),
    ]

    operations = [
        migrations.AlterField(
            model_name='referral',
            name='status',
            field=models.CharField(choices=[('draft', 'Identified — form in progress'), ('discussed', 'Discussed in supervision'), ('signed_by_worker', 'Signed by worker — with line manager'), ('with_service_manager', 'With Service Manager'), ('agreed', 'Agreed by Service Manager — awaiting the improvement group'), ('not_agreed', 'Not agreed by Service Manager'), ('review_commissioned', 'Review commissioned by the improvement group'), ('not_proceeding', 'Not proceeding — further action agreed'), ('further_action_complete', 'Further action complete')], default='draft', max_length=30),
        ),
        migrations.RunPython(forwards, backwards),
    ]
