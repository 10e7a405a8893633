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
FIRST_POLL: Final = 1.0
"""After the Run answer; a model's spec may ask for more (``first_poll``)."""
POLL_CURVE: Final = (
    (0.0, 1.0),
    (10.0, 4.0),
    (60.0, 4.0),
    (120.0, 8.0),
    (300.0, 12.0),
    (600.0, 15.0),
)
"""(seconds since the Run answer, seconds between polls), interpolated linearly and flat
after the last point: short tasks are seen quickly, long ones cost few calls."""
POLL_REFERENCE_SECONDS: Final = 60.0
"""A model whose spec says it typically runs T seconds polls on this curve stretched by
T / POLL_REFERENCE_SECONDS (never below MIN_POLL nor above MAX_POLL)."""
MIN_POLL: Final = 1.0
MAX_POLL: Final = 15.0
FINISHING_POLL: Final = 1.0
"""Once the process exited (``task_end``, ``task_postprocess_start``): outputs are near."""
POLL_JITTER: Final = 0.1
"""Each interval is scaled by a factor drawn from [1 - jitter, 1 + jitter]."""
LAST_POLL_LEAD: Final = 0.5
"""A last poll is made this long before the wait's deadline rather than sleeping past it."""
WAIT_TIMEOUT: Final = 1800.0
"""Default total deadline of ``wait()``; ``None`` waits as long as the task lives."""
TASK_ERROR_GRACE: Final = 300.0
"""How long a task may sit in an interim-error status (``task_error``) without any progress
(status, logs or outputs changing) before ``wait()`` calls it failed."""

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
RECONCILE_LIMIT: Final = 50
"""How many of the newest tasks Task/List is asked for."""
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
