"""Reading .docx files back: effective formatting, and (later) the conformance rules."""
