"""WSGI entry point for gunicorn: `gunicorn reformtrack.wsgi`."""

import gc
import os

from django.core.signals import request_finished
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reformtrack.settings")
application = get_wsgi_application()

# A server process holds some 200,000 objects once its code, URLs and templates are loaded;
# every full collection of the garbage collector walked them all (a drawn page allocates
# enough to set one off every few dozen requests: 1.7 ms a cold page on average, profiled).
# After the process's first requests have loaded what it serves, what it holds is frozen
# (`gc.freeze`: never collected, never walked again); garbage is still collected as before.
FREEZE_AFTER = (1, 100)  # requests finished in this process
_finished = 0


def _freeze(**kwargs) -> None:
    global _finished
    _finished += 1
    if _finished in FREEZE_AFTER:
        gc.collect()
        gc.freeze()
    if _finished >= FREEZE_AFTER[-1]:
        request_finished.disconnect(dispatch_uid="reformtrack-gc-freeze")


request_finished.connect(_freeze, weak=False, dispatch_uid="reformtrack-gc-freeze")
