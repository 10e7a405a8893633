"""Every default of the runtime, in one place (times are seconds).

The README's "Reliability" section states these values as a table; change both together.
"""

from __future__ import annotations

from typing import Final

# --- per request: separate from any deadline ----------------------------------------
CONNECT_TIMEOUT: Final = 10.0
"""Opening a TCP/TLS connection."""
READ_TIMEOUT: Final = 60.0
"""Waiting for the next bytes of an answer (Run answers after the upload is stored)."""
WRITE_TIMEOUT: Final = 60.0
"""Sending the next bytes of a request (uploads)."""
POOL_TIMEOUT: Final = 10.0
"""Waiting for a free connection of the pool."""
MAX_CONNECTIONS: Final = 100
MAX_KEEPALIVE_CONNECTIONS: Final = 20

# --- retries --------------------------------------------------------------------------
MAX_RETRIES: Final = 4
"""Retries after the first attempt of a retryable call (Run: only when never sent)."""
BACKOFF_INITIAL: Final = 0.5
BACKOFF_MULTIPLIER: Final = 2.0
BACKOFF_MAX: Final = 8.0
BACKOFF_JITTER: Final = 0.5
"""A delay is drawn from [d * (1 - jitter), d]: concurrent clients spread out."""
RETRY_AFTER_MAX: Final = 60.0
"""A server's Retry-After is honoured up to this many seconds."""
RETRY_STATUSES: Final = frozenset({408, 429, 500, 502, 503, 504})
"""HTTP statuses after which an idempotent call is retried (and any other 5xx)."""

# --- polling Task/Detail ----------------------------------------------------------------
# Wiro rate-limits per project; its own clients poll no faster than every 2 s (Wiro-MCP
# client.ts: 2 s for 15 s, 5 s to a minute, then 10 s; the SDKs every 3 s; concurrency-limits.md:
# "start at 3 seconds and increase the interval for longer tasks").
FIRST_POLL: Final = 2.0
"""After the Run answer; a model's spec may ask for more (``first_poll``)."""
POLL_CURVE: Final = (
    (0.0, 2.0),
    (15.0, 3.0),
    (60.0, 5.0),
    (120.0, 8.0),
    (300.0, 10.0),
    (600.0, 15.0),
)
"""(seconds since the Run answer, seconds between polls), interpolated linearly and flat
after the last point: short tasks are seen quickly, long ones cost few calls."""
POLL_REFERENCE_SECONDS: Final = 60.0
"""A model whose spec says it typically runs T seconds polls on this curve stretched by
T / POLL_REFERENCE_SECONDS (never below MIN_POLL nor above MAX_POLL)."""
MIN_POLL: Final = 2.0
MAX_POLL: Final = 15.0
FINISHING_POLL: Final = 2.0
"""Once the process exited (``task_end``, ``task_postprocess_start``): outputs are near."""
POLL_JITTER: Final = 0.1
"""Each interval is scaled by a factor drawn from [1 - jitter, 1 + jitter], never below
MIN_POLL."""
LAST_POLL_LEAD: Final = 0.5
"""A last poll is made this long before the wait's deadline rather than sleeping past it."""
WAIT_TIMEOUT: Final = 1800.0
"""Default total deadline of ``wait()``; ``None`` waits as long as the task lives."""

# --- following a task on Wiro's socket (websocket.md) ------------------------------------
SOCKET_MESSAGE_MAX: Final = 8 * 1024 * 1024
"""The largest socket message read (the Kotlin SDK's WiroClientLimits default)."""
SOCKET_QUIET: Final = 30.0
"""After this long without a socket event, Task/Detail is read once: a task may run quietly,
but a socket that missed a status it shows is stalled and is opened again."""
SOCKET_ERROR_CHECK: Final = 2.0
"""A ``task_error`` event (a stderr line) followed by this much silence is checked on
Task/Detail: a task that failed before running says ``task_error`` there."""
SOCKET_RECONNECT_INITIAL: Final = 1.0
SOCKET_RECONNECT_MAX: Final = 30.0
"""A socket that could not open or dropped is opened again after a pause that doubles
(jittered) up to this; Task/Detail is polled on its schedule meanwhile."""

# --- concurrency helper ------------------------------------------------------------------
CONCURRENCY: Final = 4
"""Default number of tasks ``run_many`` keeps in flight."""
CONCURRENCY_RETRY_INITIAL: Final = 2.0
CONCURRENCY_RETRY_MAX: Final = 30.0
"""Waits before resubmitting a Run refused by the concurrency limit (code 96)."""

# --- reconciliation of a Run whose outcome is unknown -------------------------------------
RECONCILE_BEFORE: Final = 30.0
RECONCILE_AFTER: Final = 300.0
"""A listed task matches a lost Run when created within [sent - BEFORE, sent + AFTER]."""
RECONCILE_PAGE: Final = 50
"""Tasks asked of Task/List per page while looking for a lost Run."""
RECONCILE_SETTLE: Final = 5.0
"""A journaled Run whose answer was lost is reconciled no sooner than this after it was
sent: a request Wiro was still handling creates its task late."""

# --- outputs and errors -------------------------------------------------------------------
DOWNLOAD_CHUNK: Final = 1 << 16
ERROR_BODY_MAX: Final = 64 * 1024
"""Characters of an answer's body kept on an error."""
LOG_TAIL: Final = 2000
"""Characters of ``debugoutput`` a ``TaskFailedError`` carries (its tail)."""
USER_AGENT: Final = "wiro-client-python/0.1"
