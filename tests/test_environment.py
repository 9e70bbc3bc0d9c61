"""Under CI the suite must run on the production services, not the embedded fallbacks."""

import pytest
from django.conf import settings
from django.db import connection


@pytest.mark.django_db
def test_ci_runs_against_postgresql_and_redis(in_ci):
    if not in_ci:
        pytest.skip("only enforced under CI")
    assert connection.vendor == "postgresql"
    assert settings.REDIS_URL.startswith("redis://")
    assert settings.CELERY_BROKER_URL.startswith("redis://")
