"""WSGI entry point for gunicorn: `gunicorn reformtrack.wsgi`."""

import gc
import os

from django.core.signals import request_started
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reformtrack.settings")
application = get_wsgi_application()

# A server process holds some 200,000 objects once its code, URLs and templates are loaded;
# every full collection of the garbage collector walked them all (a drawn page allocates
# enough to set one off every few dozen requests: 1.7 ms a cold page on average, profiled).
# After the process's first requests have loaded what it serves, what it holds is frozen
# (`gc.freeze`: never collected, never walked again); garbage is still collected as before.
# It runs as a request starts, before the request object exists: the request just finished
# is garbage by then (collected first), and no live request is ever frozen with its body.
FREEZE_AT = (2, 101)  # requests started in this process
_started = 0


def _freeze(**kwargs) -> None:
    global _started
    _started += 1
    if _started in FREEZE_AT:
        gc.collect()
        gc.freeze()
    if _started >= FREEZE_AT[-1]:
        request_started.disconnect(dispatch_uid="reformtrack-gc-freeze")


request_started.connect(_freeze, weak=False, dispatch_uid="reformtrack-gc-freeze")
