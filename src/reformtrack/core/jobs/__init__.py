"""Long work as jobs: enqueue it (`enqueue`), report progress from inside it (`Progress`), run it
in-process under a command's progress bar (`jobs.cli.run_here`). One code path for every queue
backend (settings.TASKS: django-tasks-db by default, Celery for scale, immediate in tests).

A job's function is a plain function `f(*, progress, user, **kwargs) -> dict` named by its dotted
path; kwargs must be JSON (ids, codes, dates as ISO text). It returns a summary (shown on the job
page and by the command) and may put a file there: {"file": (name, bytes), ...}.
"""

from .progress import Progress
from .services import enqueue, execute

__all__ = ["Progress", "enqueue", "execute"]
