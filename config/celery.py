"""The Celery app. Without REDIS_URL, tasks run eagerly in the web process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("powerportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Task modules of subpackages, which the per-app discovery (<app>.tasks) does not see.
app.autodiscover_tasks(["powerlist.notifications", "powerlist.review"])
