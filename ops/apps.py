from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: health/readiness probes for load balancers, backup and restore."""

    name = "ops"
    verbose_name = "Operasional"
