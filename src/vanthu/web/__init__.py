"""vanthu serve: the office's web application (FastAPI, server-rendered pages, an API), on top of
vanthu.api. Imported only by `vanthu serve` and `vanthu users`."""
