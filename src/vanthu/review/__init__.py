"""Review pages for leaders: a batch's documents as page pictures, their findings and, against
an earlier batch, a word-level difference of their text (api.review and its page functions)."""
