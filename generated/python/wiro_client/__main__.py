"""``python -m wiro_client``: the ``wiro`` command line (see :mod:`wiro_client.cli`)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
