"""Hold the scheduler's warning signals until the training loop reaches a safe point.

A pre-emption or time-limit warning (SIGUSR1 on Grid Engine, SIGUSR2 on SLURM, SIGTERM) makes the job's
handler save a checkpoint and requeue. Python runs a signal handler between two bytecodes of the main
thread, which in a training loop may be half-way through ``optimizer.step()``: a checkpoint taken there holds
half-updated weights. While a ``SafePoints`` is active, such a signal is only noted; the loop calls
``deliver()`` between steps, where the state is whole, and the original handler runs there.
"""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

log = logging.getLogger("herbproc.train")
WARNING_SIGNALS = tuple(
    s for s in (getattr(signal, "SIGUSR1", None), getattr(signal, "SIGUSR2", None), signal.SIGTERM) if s
)


class SafePoints:
    def __init__(self, signals: tuple[int, ...] = WARNING_SIGNALS) -> None:
        self.signals = signals
        self.original: dict[int, object] = {}
        self.pending: list[int] = []

    def __enter__(self) -> SafePoints:
        if threading.current_thread() is not threading.main_thread():
            return self  # handlers can only be changed from the main thread; nothing to hold then
        for signum in self.signals:
            handler = signal.getsignal(signum)
            if callable(handler):  # a Python handler (submitit's); default actions are left alone
                self.original[signum] = handler
                signal.signal(signum, self._note)
        return self

    def _note(self, signum: int, frame: FrameType | None) -> None:
        if signum not in self.pending:
            self.pending.append(signum)

    def deliver(self) -> None:
        """Run the original handlers of the signals that arrived since the last call (may not return:
        a requeueing handler exits the process)."""
        while self.pending:
            signum = self.pending.pop(0)
            handler = self.original.get(signum)
            log.warning(
                "signal %s at a safe point: handing it to the job's handler", signal.Signals(signum).name
            )
            if callable(handler):
                handler(signum, None)

    def __exit__(self, exc_type, *exc) -> None:
        for signum, handler in self.original.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]
        if self.pending and exc_type is None:
            names = ", ".join(signal.Signals(s).name for s in self.pending)
            log.warning(
                "signal(s) %s arrived after the last safe point; training is complete, not requeueing", names
            )
        self.original.clear()
        self.pending.clear()
