"""The WSGI application for gunicorn (`gunicorn learning_reviews.wsgi`). It starts under
production settings unless LR_ENV=development, and refuses to start without what production
needs (docs/deployment.md)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_reviews.settings")
application = get_wsgi_application()
