# The production image: the web app (gunicorn) by default, the task worker with
# `python manage.py qcluster`. compose.yaml shows both with PostgreSQL.
#
# Docker is not run by the test suite. The commands here mirror, line by line, the ones
# tests/production/conftest.py runs and walks over HTTP in CI (migrate, collectstatic, gunicorn,
# qcluster, with DEBUG=false and real secrets): change them together.
FROM python:3.12-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    STATIC_ROOT=/app/var/static \
    WEB_CONCURRENCY=2

WORKDIR /app
COPY . .
RUN pip install -e .
# Nothing writes bytecode at run time (PYTHONDONTWRITEBYTECODE, and the app's user cannot write to
# /app): compiled now, the app's modules are not compiled again by every process that starts (each
# gunicorn worker, each task worker django-q2 recycles).
RUN python -m compileall -q manage.py opencx_integration handoffs settings_ui dataverse_sandbox

# Static files are part of the image. collectstatic reads no secret and no database, but the
# production settings refuse to load without both keys: these placeholders exist for this
# step only, the container gets the real ones at run time.
RUN DEBUG=false SECRET_KEY=collectstatic-only FIELD_ENCRYPTION_KEYS=collectstatic-only \
    python manage.py collectstatic --noinput

RUN useradd --system --no-create-home opencx
USER opencx

EXPOSE 8000
# The tested command line, bound to all interfaces of the container instead of 127.0.0.1.
CMD ["gunicorn", "opencx_integration.wsgi", "--access-logfile", "-", "--bind", "0.0.0.0:8000"]
