from django.apps import AppConfig


class SampleCapabilityConfig(AppConfig):
    name = "tests.sample_capability"
    label = "sample_capability"

    def ready(self) -> None:
        from programmes.registry.tabs import register_tab

        register_tab(key="sample", label="Sample", url_name="sample-page", order=70)
