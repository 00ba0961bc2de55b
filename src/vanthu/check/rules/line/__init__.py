"""Rules of the line group."""
