#!/usr/bin/env bash
# Set up everything vanthu needs on a fresh Debian machine (run as root, or with sudo for apt):
# system packages, then a virtual environment in .venv with vanthu and its dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  python3-venv
  fonts-liberation2        # metric-compatible stand-in for Times New Roman, full Vietnamese
  libreoffice-writer-nogui # .docx -> PDF / PDF/A, and the README's page pictures
  python3-uno              # the unoserver listener runs under the system python3
  poppler-utils            # pdftoppm: page previews
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: please install these Debian packages: ${missing[*]}" >&2
  fi
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[dev]'
echo "setup: ready (.venv/bin/vanthu)"
