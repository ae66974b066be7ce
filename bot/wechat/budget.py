"""WeChat waits 5 seconds for an answer: work on the index gets a time budget, past which the bot apologises.

Only index work runs under the budget (in a small thread pool, since Python cannot interrupt a running search);
commands, cached answers and events are answered in the request's own thread, at no hand-over cost.
"""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar, TypeVarTuple

T = TypeVar("T")
Ts = TypeVarTuple("Ts")


class OverBudget(Exception):
    """The answer was not ready in time; the work goes on in the background and is dropped."""


class Budget:
    def __init__(self, seconds: float, workers: int = 4) -> None:
        self.seconds = seconds
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="answer")

    def run(self, function: Callable[[*Ts], T], *args: *Ts) -> T:
        """``function(*args)``, or ``OverBudget`` when it takes longer than the budget."""
        future = self.pool.submit(function, *args)
        try:
            return future.result(timeout=self.seconds)
        except FutureTimeout:
            raise OverBudget from None

    def close(self) -> None:
        """Take no more work (a command's dialogue, once answered); work past its budget finishes on its own."""
        self.pool.shutdown(wait=False)
