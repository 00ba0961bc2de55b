"""Rules of the number group."""
