"""PDF stage: LibreOffice conversion pool, PDF/A checks, signature fields, signing, verification."""
