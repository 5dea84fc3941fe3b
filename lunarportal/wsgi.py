import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lunarportal.settings")

application = get_wsgi_application()

# Python's cycle collector runs every 700 new container objects and, every so often, walks every
# object the process holds: Django, the models and translations loaded above included. A page
# that builds querysets and templates allocates tens of thousands, so it paid for several walks:
# 10–15% of a rendered page's CPU on the benchmark data. The objects loaded so far live as long as
# the process, so they are set aside (gc.freeze), and young objects are collected ten times less
# often; requests create few cycles, and what they free is mostly freed by reference counting.
gc.collect()
gc.freeze()
gc.set_threshold(7000, 10, 10)
