"""Rules of the layout group."""
