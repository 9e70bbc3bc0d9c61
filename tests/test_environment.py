"""Under CI the suite must run on the production services, not the embedded fallbacks."""
import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import IN_CI


@pytest.mark.django_db
def test_ci_runs_against_postgresql_and_redis():
    if not IN_CI:
        pytest.skip("only enforced under CI")
    assert connection.vendor == "postgresql"
    assert settings.REDIS_URL.startswith("redis://")
    assert settings.CELERY_BROKER_URL.startswith("redis://")
