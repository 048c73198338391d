from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Badges"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the OpenAPI extension for the proxy's authentication.
        from core.api import schema  # noqa: F401
