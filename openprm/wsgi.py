import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openprm.settings")

application = get_wsgi_application()

# Every view and the API's schemas (about 2 s) load while the worker boots, not during
# the first request it serves.
import_module(settings.ROOT_URLCONF)
