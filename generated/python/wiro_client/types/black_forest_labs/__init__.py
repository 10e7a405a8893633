"""Input models of black-forest-labs's models."""
