# Production image: gunicorn for the web, the same image runs Celery worker/beat and the
# CAMS simulator (see docker-compose.yml). Configuration comes from environment variables.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    PATH=/app/.venv/bin:$PATH

# uv from PyPI, pinned to the version that wrote uv.lock.
RUN pip install --no-cache-dir uv==0.13.9

WORKDIR /app

# Dependencies first: this layer is rebuilt only when the lock changes.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project --python /usr/local/bin/python3 \
    && rm -rf /root/.cache/uv

COPY . .

RUN useradd --system --create-home --uid 10001 app \
    && mkdir -p /app/var /app/static \
    && chown -R app:app /app/var
USER app

# Static files are collected at build time; the secret key and URLs are throwaways that only
# let settings load (production mode refuses to start without them; nothing is connected).
RUN DJANGO_ENV=production \
    DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://unused@unused:5432/unused \
    REDIS_URL=redis://unused:6379/0 \
    python manage.py collectstatic --noinput

ENV DJANGO_ENV=production
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
