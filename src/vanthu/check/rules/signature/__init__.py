"""Rules of the signature group."""
