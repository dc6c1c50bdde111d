"""Fail loudly if the database in DATABASE_URL cannot be reached (CI requires PostgreSQL)."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django
from django.db import connection

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_reviews.settings")
django.setup()
try:
    connection.ensure_connection()
except Exception as error:  # noqa: BLE001 - report any failure to connect
    sys.exit(f"Cannot reach the test database ({os.environ.get('DATABASE_URL')}): {error}")
print(f"Database reachable: {connection.vendor}")
