"""The one way background work is done in the TUI. Every screen and widget follows it; the
coming Claude workers (async, on the event loop) do too.

1. **Inputs are values.** A worker gets everything it needs as arguments, taken on the UI
   thread when it starts: filters, ids, a `Selection` snapshot, a store window (thread-safe),
   a `CancelToken`. It never reads widget state (`self.table.selection`, `self.cursor`...)
   from its thread, and never writes any.
2. **Database.** Peewee work runs in thread workers (`@work(thread=True, ...)`). Each thread
   uses its own connection, opened on first use (`Store` is thread-safe); a job that should
   not keep a pool thread's connection open wraps itself in `with store.connection():`.
   Claude and HTTP work runs in async workers on the loop instead (no thread), bounded with an
   `asyncio.Semaphore` inside a `TaskGroup`; the SDK's own requests and answer parsing run
   on its loop thread (ai/claude_client.py `on_sdk_loop`), awaited from here. The default
   pool's threads are all started once, off the loop, after the first paint
   (`warm_executor`).
3. **Results come back one way: on the node's own message queue.** From the thread,
   `deliver(node, callback, *args)` for a callback, or `node.post_message(Msg(...))` for a
   widget-local message (a nested Message dataclass; high-rate progress messages implement
   `can_replace`). Both queue on the node's loop: thread-safe, never blocking the worker,
   dropped if the node is gone. Never `app.call_from_thread` (it blocks the worker on the
   UI; a test checks the package never uses it), and never touch a widget from a thread.
4. **Errors reach the user through one handler.** Workers are `exit_on_error=False` and do
   not catch errors just to show them: they raise (a `UserError` for what the user can act
   on). Textual's `Worker.StateChanged` does not bubble, so every node that starts workers
   mixes in `ReportsWorkerErrors`, which hands a failed worker's error to the app's
   `report_failure` (a toast; a database failure as its one line; a bug with its type, also
   written to the crash log). A node that must also reset its own state overrides
   `worker_failed(worker)`; reporting still happens in the one place.
5. **Cancellation.** `exclusive=True` in a group cancels the previous job of that group on
   the same node; popping a screen or quitting cancels its workers. A thread worker checks
   `get_current_worker().is_cancelled` between steps (or passes a `cancel` callable to the
   service), and a blocking query it runs is attached to a `CancelToken` that the UI
   cancels (`token.on_cancel(window.cancel)` interrupts a running COUNT). Async workers get
   `CancelledError`, which cancels their HTTP requests.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from textual.worker import Worker, WorkerState

_warmed: weakref.WeakSet = weakref.WeakSet()


def warm_executor(loop: asyncio.AbstractEventLoop, workers: int | None = None) -> None:
    """Give `loop` a default thread pool (thread workers, `asyncio.to_thread`) whose threads
    are all started now, by a helper thread. A pool otherwise starts each thread inside the
    `submit` that first needs it, on the UI loop, which then waits for the new thread to
    get the interpreter: a bulk run's first wave stalled the UI for 10-80 ms that way.
    Once per loop (closing the loop shuts the pool down)."""
    if loop in _warmed:
        return
    _warmed.add(loop)
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="leadletter-worker")
    loop.set_default_executor(pool)
    count = pool._max_workers
    gate = threading.Barrier(count + 1)

    def hold() -> None:
        try:
            gate.wait(timeout=5)
        except threading.BrokenBarrierError:
            pass

    def start_all() -> None:
        for _ in range(count):  # each waits at the gate, so every submit starts a thread
            pool.submit(hold)
        try:
            gate.wait(timeout=5)
        except threading.BrokenBarrierError:
            pass

    threading.Thread(target=start_all, name="leadletter-warm-pool", daemon=True).start()


def deliver(node, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
    """From a worker thread: run `callback(*args, **kwargs)` on `node`'s message loop, soon.

    Returns False if the node is closing (the result is dropped: nobody is looking)."""
    return node.call_later(callback, *args, **kwargs)


class CancelToken:
    """Passed into a worker by value. `cancel()` (UI thread) runs the hooks the worker
    attached with `on_cancel` (any thread): e.g. interrupting a query in flight."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancelled = False
        self._hooks: list[Callable[[], None]] = []

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        with self._lock:
            if self._cancelled:
                return
            self._cancelled = True
            hooks, self._hooks = self._hooks, []
        for hook in hooks:
            hook()

    def on_cancel(self, hook: Callable[[], None]) -> None:
        """Run `hook` when cancelled (at once if that has already happened)."""
        with self._lock:
            if not self._cancelled:
                self._hooks.append(hook)
                return
        hook()


class ReportsWorkerErrors:
    """Mixin for every screen or widget that starts workers (see rule 4 above)."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.worker_failed(event.worker)
            self.app.report_failure(event.worker.error)

    def worker_failed(self, worker: Worker) -> None:
        """Hook: reset this node's own state after a failed job (the app reports it)."""
