"""Input models of acme's models."""
