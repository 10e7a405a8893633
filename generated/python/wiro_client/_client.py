"""Clients (placeholder: runtime pending)."""


class Wiro:
    pass


class AsyncWiro:
    pass
