"""Fixtures shared by the notification tests (import them into a test module by name):
settings that allow loopback receivers with short timeouts, and local webhook receivers."""

import pytest

from applications.benchmarks.webhook_receiver import Receiver


@pytest.fixture
def notify_settings(settings):
    settings.NOTIFY_ALLOW_PRIVATE_TARGETS = True  # the receivers are on loopback
    settings.NOTIFY_CONNECT_TIMEOUT_SECONDS = 1
    settings.NOTIFY_READ_TIMEOUT_SECONDS = 1
    settings.NOTIFY_RETRY_BASE_SECONDS = 0.05
    settings.NOTIFY_RETRY_MAX_SECONDS = 5
    settings.NOTIFY_MAX_ATTEMPTS = 4
    settings.NOTIFY_BASE_URL = "http://review.test"
    return settings


@pytest.fixture
def receiver_factory():
    """``factory(behaviour=None) -> Receiver`` on loopback; all are stopped at teardown."""
    started = []

    def factory(behaviour=None):
        receiver = Receiver(behaviour) if behaviour else Receiver()
        started.append(receiver)
        return receiver

    yield factory
    for receiver in started:
        receiver.stop()
