"""WSGI entry point, used by gunicorn (and by the benchmark, which calls it as gunicorn does)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heritage.settings")

# A page of the API makes tens of thousands of objects, and the records it loads refer to each other (a quote
# to its incident and back), so they outlive the request until the cyclic collector finds them. At Python's
# default threshold (a collection every 700 net allocations) it ran four or five times for each page of
# incidents, walking what the request still held, and every thirty pages walked the whole process (20-40 ms,
# counted with gc.callbacks). Measured in turn in one process on 250,000
# monuments (300 requests each): median 37.6 ms and p95 70.8 ms at the default, 30.9 and 53.7 ms at 10,000,
# 30.2 and 51.2 ms at 50,000; 10,000 keeps each pause shorter. Cycles are still collected, less often.
GC_THRESHOLDS = (10_000, 10, 10)
gc.set_threshold(*GC_THRESHOLDS)

application = get_wsgi_application()
