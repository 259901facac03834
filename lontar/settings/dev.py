from .base import *  # noqa: F403

DEBUG = True
ALLOWED_HOSTS = ["*"]

# Keep the console readable for `make run`: Wagtail logs every page save at INFO.
LOGGING["loggers"] = {  # noqa: F405
    "wagtail": {"level": "WARNING"},
    "django_tasks": {"level": "WARNING"},
}
