import os

from django.core.wsgi import get_wsgi_application

# Set, not defaulted: the benchmark's environment names the site's settings for its other servers.
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.hello.settings"
application = get_wsgi_application()
