"""Running queued background tasks inside a test, as `geopol worker` does."""


def run_tasks(counting: str | None = None) -> int:
    """Run every queued task the way `geopol worker` does (the database backend's worker),
    inside the test's transaction. Returns how many ran (only those of the task function
    named `counting`, when given)."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while (result := DBTaskResult.objects.ready().get_locked()) is not None:
        result.claim("test-worker")
        worker.run_task(result)
        result.refresh_from_db()
        assert result.status == "SUCCESSFUL", result.exception_class_path + result.traceback
        if counting is None or result.task_path.rsplit(".", 1)[-1] == counting:
            ran += 1
    return ran
