"""Rules of the font group."""
