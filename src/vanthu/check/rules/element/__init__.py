"""Rules of the element group."""
