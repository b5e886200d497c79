"""Long jobs on a screen (bulk status change, export): a progress line while they run,
cleanup when they fail (the app reports the error: workers.py rule 4), and what the app
needs to ask before quitting (`running_job`, `cancel_jobs`).

A screen mixes in `LongJobs` before `ReportsWorkerErrors`, starts a job's worker in one of
`JOB_GROUPS` after `_start_job(label)`, passes `_job_progress_from_thread` as the worker's
progress callback, and ends with `deliver(self, self._end_job, message)`.
"""

from __future__ import annotations

from textual.content import Content

from ..workers import deliver


class LongJobs:
    JOB_GROUPS: tuple[str, ...] = ("bulk", "export")
    _job = None

    def _start_job(self, label: str) -> None:
        from ..widgets.job_progress import JobProgress

        self._end_job()
        self._job = JobProgress(label)
        anchor = getattr(self, "status_line", None)  # the job line sits above it
        self.mount(self._job, before=anchor) if anchor is not None else self.mount(self._job)

    def _job_progress_from_thread(self, done: int, total: int) -> None:
        deliver(self, self._job_progress, done, total)

    def _job_progress(self, done: int, total: int) -> None:
        job = getattr(self, "_job", None)
        if job is not None and job.is_mounted:
            job.advance_to(done, total)

    def _end_job(self, message: str | None = None) -> None:
        job, self._job = getattr(self, "_job", None), None
        if job is not None:
            job.remove()
        if message:
            self.notify(Content(message))

    def running_job(self) -> str | None:
        """What long job runs here (for the quit question), or None."""
        busy = [w for w in self.app.workers
                if w.node is self and w.group in self.JOB_GROUPS and not w.is_finished]
        if not busy:
            return None
        job = getattr(self, "_job", None)
        return job.describe() if job is not None else "a job"

    def cancel_jobs(self) -> None:
        for worker in list(self.app.workers):
            if worker.node is self and worker.group in self.JOB_GROUPS:
                worker.cancel()

    def worker_failed(self, worker) -> None:
        if worker.group in self.JOB_GROUPS:
            self._end_job()  # the app reports the error (ReportsWorkerErrors)
        super().worker_failed(worker)
