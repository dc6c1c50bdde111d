from django.db import migrations

from learning_reviews.audit.triggers import install, uninstall


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
