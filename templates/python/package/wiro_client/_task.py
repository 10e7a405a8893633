"""Task handles (placeholder: runtime pending)."""


class Task:
    pass


class AsyncTask:
    pass
