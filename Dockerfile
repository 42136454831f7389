# One image for web, worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

# WeasyPrint's system libraries and the fonts documents are rendered with; poppler-utils'
# pdftotext reads a publication PDF back for the publication check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-dejavu-core fontconfig poppler-utils \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 casereview
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY --chown=casereview:casereview . .
RUN STATIC_ROOT=/app/staticfiles python manage.py collectstatic --noinput

USER casereview
EXPOSE 8000
CMD ["gunicorn", "casereview.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--worker-class", "gthread", "--threads", "8", "--access-logfile", "-"]
