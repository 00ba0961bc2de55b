"""Rebuild the built-in templates in templates/ from the Decree 30 layout numbers."""

from pathlib import Path

from vanthu.render.template_builder import build_all

if __name__ == "__main__":
    for path in build_all(Path(__file__).resolve().parent.parent / "templates"):
        print(f"wrote {path}")
