# Stand-in: `wirogen generate` replaces this module with the version from specs/releases.yaml.
"""The version of this package: it follows its specs' changes (see CHANGELOG.md)."""

__version__ = "0.0.0"
