# Production image of the power-list portal (web, Celery worker and beat all use it).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VAR_DIR=/app/var \
    MEDIA_ROOT=/app/var/media \
    STATIC_ROOT=/app/staticfiles

# graphviz: flowcharts; fonts-wqy-microhei: Chinese text in PDFs and charts;
# pango: WeasyPrint; gettext: compilemessages.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      graphviz fonts-wqy-microhei libpango-1.0-0 libpangoft2-1.0-0 gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, from the lock alone, so this layer is rebuilt only when the
# lock changes: exact versions, every file checked against its sha256 (`make lock`
# writes requirements.lock from pyproject.toml; docs/security.md).
COPY requirements.lock ./
RUN pip install --require-hashes --no-deps -r requirements.lock

COPY . .

# Translations and static files are baked into the image. Settings refuse to load
# without SECRET_KEY when DEBUG is off, so these build steps get a throwaway one.
RUN export DEBUG=0 SECRET_KEY=build-time-only-dummy-key-never-used-at-run-time-0000 \
 && if find locale -name '*.po' | grep -q .; then \
      python manage.py compilemessages --ignore=node_modules -v 0; \
    fi \
 && python manage.py collectstatic --noinput -v 0

# Run as an unprivileged user. It owns only what it writes: var/ (media uploads,
# mounted as a volume in docker-compose.yml) and staticfiles/ (refreshed on start).
RUN useradd --system --uid 1000 --home-dir /app --shell /usr/sbin/nologin portal \
 && mkdir -p /app/var/media \
 && chown -R portal:portal /app/var /app/staticfiles
USER portal

EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "-b", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
