"""The scheduler tick on a real worker: ``programmes.tasks.run_due_jobs`` runs every registered
job, and a message queued under a task name an older Keel used is dropped, not fatal."""

from config.celery import app
from programmes.models import Channel, JobRun, Notification, NotificationStatus
from programmes.notifications import notify
from programmes.registry.jobs import registered_jobs
from tests.factories import PersonFactory, ProgrammeFactory

from .conftest import wait_for

# The two periodic tasks before the jobs registry (docs/deployment.md, "Upgrading").
REMOVED_TASKS = (
    "programmes.tasks.run_due_reminders",
    "programmes.tasks.requeue_stalled_notifications",
)


def test_the_tick_task_runs_every_registered_job_on_the_worker(celery_worker):
    ProgrammeFactory(technical_owner=PersonFactory())
    app.send_task("programmes.tasks.run_due_jobs")
    wait_for(
        lambda: JobRun.objects.count() == len(registered_jobs()),
        message="every job to record its run",
    )
    assert set(JobRun.objects.values_list("job", flat=True)) == {
        name for name, _ in registered_jobs()
    }
    assert JobRun.objects.filter(succeeded=False).count() == 0


def test_a_queued_message_of_a_removed_task_name_is_dropped_and_the_worker_goes_on(
    celery_worker,
):
    for name in REMOVED_TASKS:
        app.send_task(name)
    person = PersonFactory(email="rosa@example.com")
    notify(
        recipient=person, kind="regression_work", occurrence="after-upgrade", subject="s", body="b"
    )
    email = Notification.objects.get(channel=Channel.EMAIL)
    wait_for(
        lambda: Notification.objects.get(pk=email.pk).status == NotificationStatus.SENT,
        message="the email queued after the old messages to be sent",
    )
    log = celery_worker.log_path.read_text(errors="replace")
    for name in REMOVED_TASKS:
        assert f"Received unregistered task of type '{name}'" in log
    assert "The message has been ignored and discarded" in log
