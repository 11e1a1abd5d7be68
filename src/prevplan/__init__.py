"""prevplan."""
