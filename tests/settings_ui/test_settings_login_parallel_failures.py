"""Failed sign-ins sent in parallel are all counted: guessing in parallel gains no extra tries."""

from __future__ import annotations

import sys
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client

from settings_ui.login import failures
from tests.settings_ui.conftest import PASSWORD

THREADS = 10
GUESSES_PER_THREAD = 8
ADDRESS = "198.51.100.7"


def guess_in_parallel() -> list[BaseException]:
    """Each thread sends its wrong passwords once all threads are ready; returns their errors."""
    ready = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def guess() -> None:
        client = Client()
        try:
            ready.wait()
            for _ in range(GUESSES_PER_THREAD):
                client.post(
                    "/accounts/login/",
                    {"username": "ada", "password": "wrong"},
                    REMOTE_ADDR=ADDRESS,
                )
        except BaseException as exc:  # noqa: BLE001 - reported by the test, not lost
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess) for _ in range(THREADS)]
    # Switch threads as often as possible, so a read-then-write count would lose updates.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    return errors


@pytest.mark.django_db(transaction=True)
def test_it_counts_every_failure_sent_in_parallel(settings):
    total = THREADS * GUESSES_PER_THREAD
    settings.LOGIN_FAILURE_LIMIT = total
    get_user_model().objects.create_user("ada", password=PASSWORD)

    assert guess_in_parallel() == []

    assert failures("ada", ADDRESS) == total
    right_password = Client().post(
        "/accounts/login/", {"username": "ada", "password": PASSWORD}, REMOTE_ADDR=ADDRESS
    )
    assert right_password.status_code == 429
