"""Input models of wiro's models."""
