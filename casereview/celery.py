"""The Celery application.

Configuration is read from Django settings under the ``CELERY_`` namespace. Without
``REDIS_URL`` tasks run in-process (eagerly), so the embedded default needs no services.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casereview.settings")

app = Celery("casereview")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
