"""A time budget for importing one file, checked between the steps of the pipeline.

Every step is linear in its input, so the budget is a second line of defence: a
file that still takes too long fails on its own, with the reason, and the batch
goes on. ``checkpoint()`` is cheap enough to call once per line or sentence.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_deadline: ContextVar[float | None] = ContextVar("ingest_deadline", default=None)


class OverBudget(Exception):
    """Raised at a checkpoint once the current budget is spent."""

    def __init__(self, seconds: float):
        super().__init__(seconds)
        self.seconds = seconds


_budget: ContextVar[float] = ContextVar("ingest_budget", default=0.0)


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Run the block with ``seconds`` to spend; a budget inside another ends no later than the outer one."""
    deadline = time.monotonic() + seconds
    outer = _deadline.get()
    if outer is not None and outer < deadline:
        deadline, seconds = outer, _budget.get()
    deadline_token, budget_token = _deadline.set(deadline), _budget.set(seconds)
    try:
        yield
    finally:
        _deadline.reset(deadline_token)
        _budget.reset(budget_token)


def checkpoint() -> None:
    """Raise OverBudget when the current budget is spent; do nothing outside one."""
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() >= deadline:
        raise OverBudget(_budget.get())
