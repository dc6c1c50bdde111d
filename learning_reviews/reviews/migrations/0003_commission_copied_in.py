"""The review keeps what the improvement group decided, copied in, instead of a foreign key to
the group's Decision, and its lead reviewers become readers of the referral
(docs/decisions/0014-one-way-arrows.md)."""

from django.db import migrations, models


def copy_from_decision(apps, schema_editor):
    Review = apps.get_model("reviews", "Review")
    for review in Review.objects.select_related("decision"):
        decision = review.decision
        review.commissioned_on = decision.confirmed_on
        review.decided_on = decision.date_discussed
        review.rationale = decision.rationale
        review.save(update_fields=["commissioned_on", "decided_on", "rationale"])
        # The lead reviewers read the referral as its readers, not through the review.
        review.referral.readers.add(*review.lead_reviewers.all())


class Migration(migrations.Migration):
    dependencies = [
        ("improvement_group", "0001_initial"),
        ("referrals", "0006_readers"),
        ("reviews", "0002_workspace"),
    ]

    operations = [
        migrations.AddField(
            model_name="review",
            name="commissioned_on",
            field=models.DateTimeField(blank=True, null=True, verbose_name="commissioned on"),
        ),
        migrations.AddField(
            model_name="review",
            name="decided_on",
            field=models.DateField(
                blank=True, null=True, verbose_name="date the group discussed the referral"
            ),
        ),
        migrations.AddField(
            model_name="review",
            name="rationale",
            field=models.TextField(
                blank=True, verbose_name="the group's rationale for a Learning Review"
            ),
        ),
        migrations.RunPython(copy_from_decision, migrations.RunPython.noop),
        migrations.RemoveField(model_name="review", name="decision"),
    ]
