"""Rules of the page group."""
