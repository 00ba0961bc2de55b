"""Archive batches: a batch's documents packed with their Phụ lục VI metadata and SHA-256
digests (pack.py), and checked years later (verify.py)."""
