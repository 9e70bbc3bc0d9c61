import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Each web worker imports this module when it starts: subscribe it to single-flight lock releases
# now, so the first burst of concurrent lookups in a new worker does not wait for it.
from applications.coordination import coordinator  # noqa: E402  (needs the settings loaded above)

coordinator().listen_for_releases()
