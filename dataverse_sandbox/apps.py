from __future__ import annotations

from django.apps import AppConfig


class DataverseSandboxConfig(AppConfig):
    name = "dataverse_sandbox"
    verbose_name = "Dataverse sandbox"
