"""A job: one piece of long work (an import, closing a period, marking overdue tasks) that runs
on the task queue, never in a request. Its row is what the job page polls and the command line
draws as a progress bar: state, done/total, the item it is on, errors as they are found, and the
result (a summary, and a file when the work produces one)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..scoping import Action, ScopedQuerySet, scope_q


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class JobQuerySet(ScopedQuerySet):
    def visible_to(self, user, action: str = Action.VIEW):
        """A job is seen by whoever may act on its organisation, and always by its owner."""
        mine = Q(owner=user) if getattr(user, "is_authenticated", False) else Q(pk__in=[])
        return self.filter(scope_q(self.model, user, action) | mine)


class Job(models.Model):
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=300, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("started by"),
    )
    organisation = models.ForeignKey(
        settings.REFORMTRACK_ORGANISATION_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("organisation"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    # What runs: a dotted path to a function `f(*, progress, user, **kwargs)` and its kwargs.
    function = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict, blank=True)
    task_id = models.CharField(max_length=64, blank=True)  # the queue backend's id
    total = models.PositiveBigIntegerField(_("total"), null=True, blank=True)
    done = models.PositiveBigIntegerField(_("done"), default=0)
    current_item = models.CharField(_("working on"), max_length=300, blank=True)
    messages = models.JSONField(_("messages"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    result_file = models.FileField(_("result file"), upload_to="jobs/%Y/%m/", blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = JobQuerySet.as_manager()
    scope_path = "organisation__path"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        """The title in the reader's language when it was given as a message (kept as the
        first of `messages`, level "title"), else as stored."""
        from ..stored_messages import render

        titled = [m for m in self.messages[:1] if m.get("level") == "title"]
        return render(titled[0]["message"] if titled else None, self.title) or self.kind

    @property
    def current_label(self) -> str:
        """The item or step being worked on; a step given as a message (Progress.at), in the
        reader's language."""
        from ..stored_messages import render

        steps = [m for m in self.messages if m.get("level") == "step"]
        if steps and steps[-1].get("text") == self.current_item:
            return render(steps[-1]["message"], self.current_item)
        return self.current_item

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def percent(self) -> int | None:
        """Whole percent done, None while the total is not known."""
        if not self.total:
            return 100 if self.state == JobState.DONE else None
        return min(100, self.done * 100 // self.total)

    @property
    def duration(self):
        if self.started_at is None:
            return None
        return (self.finished_at or self.started_at) - self.started_at
