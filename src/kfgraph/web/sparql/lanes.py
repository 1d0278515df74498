"""``Lanes``: who waits for a query worker, who runs, and who gets the next idle one.

Two lanes share the pool's worker processes (see ``pool`` for why):

* the **fast lane** has ``fast_places`` places; waiting requests are served round-robin by
  client (the remote address), a client with fewer requests running first;
* the **long lane** has ``long_places`` places, at most one per client. A request gets there
  when it has run long (``promote``), or from the start when its client's previous request
  ran long (the client is then a *long-runner* until one of its requests finishes quickly):
  a client that loops on runaway queries takes a fast place again only when nobody waits
  for one and the long lane has no place for it (its address holds its one place, or the
  lane is full; it then leaves after ``query_long_after``, as any long query does), so the
  fast lane stays free for everybody else's small queries.

Idle workers are handed out fast lane first, and the long lane only gets one when as many
stay idle as the fast lane has free places: the long lane's turnover (each of its workers is
replaced after its request) never leaves a small query without a worker.

Plain data, no locks: the pool calls every method holding its condition.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, field
from typing import Generic, TypeVar

W = TypeVar("W")


@dataclass(eq=False)
class Ticket(Generic[W]):
    """One request's place in the lanes."""

    client: str
    long: bool = False
    """Waits for, or runs in, the long lane."""
    worker: W | None = None


Queue = collections.OrderedDict[str, collections.deque[Ticket[W]]]


@dataclass
class Lanes(Generic[W]):
    fast_places: int
    long_places: int
    waiting_fast: Queue[W] = field(default_factory=collections.OrderedDict)
    waiting_long: Queue[W] = field(default_factory=collections.OrderedDict)
    fast: collections.Counter[str] = field(default_factory=collections.Counter)
    long: collections.Counter[str] = field(default_factory=collections.Counter)
    long_runners: set[str] = field(default_factory=set)
    """Clients whose last request ran long: their next requests start in the long lane."""

    # ------------------------------------------------------------------ waiting

    def queue_of(self, ticket: Ticket[W]) -> Queue[W]:
        return self.waiting_long if ticket.long else self.waiting_fast

    def waiting_of(self, client: str) -> int:
        return len(self.waiting_fast.get(client, ())) + len(self.waiting_long.get(client, ()))

    def enqueue(self, ticket: Ticket[W], *, front: bool = False) -> None:
        """A new request waits (``front``: it keeps its turn, e.g. after a dead worker)."""
        if not front:
            ticket.long = ticket.client in self.long_runners
        queue = self.queue_of(ticket).setdefault(ticket.client, collections.deque())
        if front:
            queue.appendleft(ticket)
        else:
            queue.append(ticket)

    def withdraw(self, ticket: Ticket[W]) -> None:
        """A waiting request gives up (time limit, shutdown)."""
        queues = self.queue_of(ticket)
        queue = queues.get(ticket.client)
        if queue is not None and ticket in queue:
            queue.remove(ticket)
            if not queue:
                del queues[ticket.client]

    def others_wait(self, client: str) -> bool:
        """Whether another client waits for a fast place."""
        return any(other != client for other in self.waiting_fast)

    # ------------------------------------------------------------------ handing out workers

    def assign(self, idle: list[W]) -> bool:
        """Hand idle workers (popped from ``idle``) to waiting tickets; True if any was handed."""
        handed = False
        while idle:
            free_fast = self.fast_places - sum(self.fast.values())
            long_ready = next((c for c in self.waiting_long if self.long[c] == 0), None)
            if free_fast > 0 and self.waiting_fast:
                client = min(self.waiting_fast, key=lambda c: self.fast[c])  # min() keeps the first of equals
                self._hand(self.waiting_fast, client, idle.pop(), self.fast)
            elif long_ready is not None and len(idle) > free_fast and sum(self.long.values()) < self.long_places:
                self._hand(self.waiting_long, long_ready, idle.pop(), self.long)
            elif free_fast > 0 and (stuck := self._stuck_in_long_lane()) is not None:
                # Nobody waits for the fast lane, and the long lane has no place for this one (its address
                # holds its place, or the lane is full): a free fast place serves it. It leaves again after
                # query_long_after, as any long query does.
                self._hand(self.waiting_long, stuck, idle.pop(), self.fast).long = False
            else:
                break
            handed = True
        return handed

    def _stuck_in_long_lane(self) -> str | None:
        full = sum(self.long.values()) >= self.long_places
        return next((c for c in self.waiting_long if full or self.long[c] >= 1), None)

    @staticmethod
    def _hand(queues: Queue[W], client: str, worker: W, running: collections.Counter[str]) -> Ticket[W]:
        queue = queues.pop(client)
        ticket = queue.popleft()
        if queue:
            queues[client] = queue  # back of the round
        ticket.worker = worker
        running[client] += 1
        return ticket

    def promote(self, ticket: Ticket[W]) -> bool:
        """A running fast request has run long: move it to the long lane; False if there is no place."""
        self.long_runners.add(ticket.client)
        if sum(self.long.values()) >= self.long_places or self.long[ticket.client] >= 1:
            return False
        _decrement(self.fast, ticket.client)
        self.long[ticket.client] += 1
        ticket.long = True
        return True

    def release(self, ticket: Ticket[W]) -> None:
        """A running request is over: free its place."""
        _decrement(self.long if ticket.long else self.fast, ticket.client)
        ticket.worker = None

    def finished_quickly(self, client: str) -> None:
        """A request of ``client`` took little CPU: its next ones start in the fast lane again."""
        self.long_runners.discard(client)

    def long_wanted(self) -> int:
        """Long-lane workers running or that could start at once."""
        running = sum(self.long.values())
        ready = sum(1 for c in self.waiting_long if self.long[c] == 0)
        return min(self.long_places, running + ready)


def _decrement(counter: collections.Counter[str], key: str) -> None:
    counter[key] -= 1
    if counter[key] <= 0:
        del counter[key]
