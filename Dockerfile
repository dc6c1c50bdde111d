# The Learning Reviews image: gunicorn serving the service, or the task worker, or a one-off
# management command, under production settings. Runs as a user without privileges on a
# read-only root filesystem: the only writable places are a tmpfs on /tmp and the media
# volume (LR_MEDIA_ROOT). See docs/deployment.md, "Containers: a pilot with compose".
#
#   docker build -t learning-reviews .
#   docker compose --env-file deploy/env -f deploy/compose.yaml up
FROM python:3.11-slim-bookworm

# WeasyPrint's libraries (Pango and HarfBuzz, with Fontconfig) for the PDF documents.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fontconfig \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# The static files, collected and compressed into the image (served by WhiteNoise), and the
# code compiled now, since nothing may be written into /app once it runs. collectstatic loads
# the production settings, which want their three values: placeholders that are never used.
RUN LR_SECRET_KEY=collectstatic-only-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ \
        LR_ALLOWED_HOSTS=build.invalid DATABASE_URL=postgres://build@build.invalid/build \
        python manage.py collectstatic --no-input \
    && python -m compileall -q learning_reviews \
    && mkdir -p /srv/learning-reviews/media \
    && useradd --system --uid 10001 --no-create-home --home-dir /tmp --shell /usr/sbin/nologin \
        learning-reviews \
    && chown learning-reviews /srv/learning-reviews/media

# Caches (Fontconfig's, any library's) go to the tmpfs on /tmp, never into /app.
ENV HOME=/tmp \
    XDG_CACHE_HOME=/tmp/cache \
    LR_MEDIA_ROOT=/srv/learning-reviews/media \
    LR_BIND=0.0.0.0:8000

USER learning-reviews:learning-reviews
VOLUME ["/srv/learning-reviews/media"]
EXPOSE 8000

# /healthz answers 200 while this app server serves (deploy/healthcheck.py asks it as the
# proxy would). The worker's and the migrate service's checks are set in deploy/compose.yaml.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "deploy/healthcheck.py"]

CMD ["gunicorn", "--config", "gunicorn.conf.py", "learning_reviews.wsgi"]
