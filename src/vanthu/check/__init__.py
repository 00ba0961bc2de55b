"""The conformance checker: rules (one per file in rules/), the engine that runs them over the
document view, and the one fixer that applies their repairs."""
