from django.db import migrations

from learning_reviews.audit.triggers import install, uninstall


class Migration(migrations.Migration):
    """The triggers again, now letting the retention job redact the words of an event (and
    nothing else) inside `guard.audit_redacting()`."""

    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [migrations.RunPython(install, uninstall)]
