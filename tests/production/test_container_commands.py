"""The Dockerfile and compose.yaml run the very commands the production boot test runs."""

from __future__ import annotations

import json
import re

from tests.production.conftest import COLLECTSTATIC, MIGRATE, ROOT, WEB, WORKER

DOCKERFILE = (ROOT / "Dockerfile").read_text()
COMPOSE = (ROOT / "compose.yaml").read_text()


def compose_commands() -> list[list[str]]:
    # Each `command:` is written as a flow list of quoted strings, which reads as JSON.
    return [json.loads(m) for m in re.findall(r"^\s+command: (\[.*\])$", COMPOSE, re.M)]


def test_it_starts_the_web_app_with_the_tested_gunicorn_command():
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", DOCKERFILE, re.M).group(1))

    assert cmd[:-2] == WEB[1:]  # the test runs it as `python -m gunicorn …`
    assert cmd[-2:] == ["--bind", "0.0.0.0:8000"]


def test_it_collects_static_files_into_the_image_as_tested():
    assert "python " + " ".join(COLLECTSTATIC) in DOCKERFILE


def test_it_migrates_and_runs_the_worker_with_the_tested_commands():
    assert compose_commands() == [["python", *MIGRATE], ["python", *WORKER]]
