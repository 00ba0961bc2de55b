"""Rules of the text group."""
