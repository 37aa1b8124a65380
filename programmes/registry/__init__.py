"""The base's registries, filled by the apps above it at start-up: scheduled jobs, notification
kinds, programme tabs, stage gates, page panels and demo loaders. The base names the apps'
contributions without importing them, the way ``django.contrib.admin`` finds ``admin.py``."""

from django.utils.module_loading import autodiscover_modules

# The module each app may have for the registries that are filled by importing a module.
DISCOVERED_MODULES = ("notification_kinds", "jobs")
_discovered = False


def discover() -> None:
    """Import every installed app's ``notification_kinds`` and ``jobs`` modules, once."""
    global _discovered
    if _discovered:
        return
    _discovered = True
    autodiscover_modules(*DISCOVERED_MODULES)
