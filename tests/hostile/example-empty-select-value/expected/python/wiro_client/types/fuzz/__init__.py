"""Input models of fuzz's models."""
