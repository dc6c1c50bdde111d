"""Development settings for the developer's own tools when no environment is given: the tests
(pyproject.toml's pytest section) and the type checker. Everything else, `manage.py` and the
WSGI application included, starts `learning_reviews.settings`, which is production unless
`LR_ENV=development` (docs/deployment.md)."""

import os

os.environ.setdefault("LR_ENV", "development")

from learning_reviews.settings import *  # noqa: F403
