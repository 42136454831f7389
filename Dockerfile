# One image for web, worker and beat.
FROM python:3.11-slim-bookworm

# DEBUG=0: a container refuses to start without its SECRET_KEY. Secrets come from the
# environment when a container starts (docker-compose.yml reads .env); .dockerignore keeps .env
# out of the build, so no secret is ever in the image.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DEBUG=0 \
    LOG_FORMAT=json \
    LOG_REQUESTS=1

# WeasyPrint's system libraries and the fonts documents are rendered with; poppler-utils'
# pdftotext reads a publication PDF back for the publication check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-dejavu-core fontconfig poppler-utils \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 casereview
WORKDIR /app
# Every package at its locked version, each file checked against the hash PyPI gave for it.
COPY requirements.lock .
RUN pip install --require-hashes -r requirements.lock
COPY --chown=casereview:casereview . .
# collectstatic signs nothing: the throwaway key lives in this one command, not in the image's environment.
RUN SECRET_KEY=collectstatic-only-not-a-secret STATIC_ROOT=/app/staticfiles python manage.py collectstatic --noinput

USER casereview
EXPOSE 8000
# The same command line as docker-compose.yml's web service (its comment says why each value).
CMD ["gunicorn", "casereview.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--worker-class", "gthread", "--threads", "8", "--timeout", "60", "--graceful-timeout", "30", "--keep-alive", "5", "--max-requests", "1000", "--max-requests-jitter", "100"]
