from django.db import migrations

# One row per record and person from the page views already in the trail, in one aggregate
# statement (no rows cross into Python). The events stay where they are: the table is
# append-only. Their words are not copied (they may name a participant, and the retention job
# redacts them where they are), so a summary made here says only that it was summarised.
SUMMARISE = """
INSERT INTO audit_viewsummary (
    organisation_id, record_type, record_id, actor_id, actor_name, summary, views,
    first_viewed_at, last_viewed_at
)
SELECT MAX(organisation_id), record_type, record_id, actor_id, MAX(actor_name),
       'Viewed (summarised from the audit trail)', COUNT(*), MIN(at), MAX(at)
FROM audit_auditevent
WHERE kind = 'access' AND action = 'viewed' AND actor_id IS NOT NULL
  AND record_type NOT IN ('list', 'download')
GROUP BY record_type, record_id, actor_id
"""


class Migration(migrations.Migration):
    """Summarise the page views recorded as events before views were summarised
    (docs/decisions/0041-views-summarised.md)."""

    dependencies = [("audit", "0004_view_summary")]

    operations = [
        migrations.RunSQL(SUMMARISE, reverse_sql="DELETE FROM audit_viewsummary"),
    ]
