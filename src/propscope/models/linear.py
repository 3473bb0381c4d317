"""Linear persuasion model (v0)."""
