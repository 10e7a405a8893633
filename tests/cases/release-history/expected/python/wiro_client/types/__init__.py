"""Input models of every model, by owner."""
