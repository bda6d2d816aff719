from __future__ import annotations

app_name = "dataverse_sandbox"

urlpatterns: list = []
