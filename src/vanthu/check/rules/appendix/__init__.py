"""Rules of the appendix group."""
