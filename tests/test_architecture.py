"""The arrows of docs/architecture.md hold: each job has one home and imports point one way."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PACKAGES = ("handoffs", "settings_ui", "dataverse_sandbox", "opencx_integration")


def modules(package: str) -> list[Path]:
    return [p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts]


def imported(path: Path) -> set[str]:
    """Every module name the file imports (at any depth, lazily or not)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def importers(package: str, target: str) -> list[str]:
    return sorted(
        str(path.relative_to(ROOT))
        for path in modules(package)
        if any(name == target or name.startswith(f"{target}.") for name in imported(path))
    )


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("handoffs", "settings_ui"),
        ("handoffs", "dataverse_sandbox"),
        ("settings_ui", "dataverse_sandbox"),
        ("dataverse_sandbox", "handoffs"),
        ("dataverse_sandbox", "settings_ui"),
        ("settings_ui", "handoffs.dynamics"),
        ("settings_ui", "handoffs.outbound.http"),
        ("settings_ui", "msal"),
        ("settings_ui", "requests"),
    ],
)
def test_it_keeps_the_arrows_one_way(package, forbidden):
    assert importers(package, forbidden) == []


def test_it_has_one_door_for_outbound_http():
    users = importers("handoffs", "requests") + importers("settings_ui", "requests")

    assert users == ["handoffs/outbound/http.py"]


def test_it_has_one_module_talking_to_msal():
    assert importers("handoffs", "msal") == ["handoffs/dynamics/client.py"]


def test_it_answers_webhooks_without_loading_the_dynamics_client():
    probe = (
        "import django, os, sys; os.environ['DJANGO_SETTINGS_MODULE']="
        "'opencx_integration.test_settings'; django.setup(); "
        "import handoffs.inbound.webhook; print('msal' in sys.modules)"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )

    assert result.stdout.strip().splitlines()[-1] == "False"


def test_it_keeps_at_most_a_dozen_modules_directly_under_handoffs():
    assert len(list((ROOT / "handoffs").glob("*.py"))) <= 12


OUTSIDE = ("DESIGN " + "§", "../" + "shared")  # spelled apart so this file does not match


def test_it_never_cites_documents_outside_the_repository():
    offending = [
        str(path.relative_to(ROOT))
        for package in (*PACKAGES, "docs", "tests", "bench", "templates")
        for path in (ROOT / package).rglob("*")
        if path.suffix in (".py", ".md", ".html", ".yaml")
        and any(cite in path.read_text() for cite in OUTSIDE)
    ]

    assert offending == []
