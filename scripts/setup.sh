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
  softhsm2                 # a software PKCS#11 token for the signing tests
  opensc                   # pkcs11-tool: writes certificates to tokens
  postgresql               # the register's PostgreSQL back end, tested against a real server
  chromium                 # the browser tests of the review pages (Playwright drives /usr/bin/chromium)
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

# The LibreOffice listeners (src/vanthu/pdf/listener.py, built on unoserver's converter) need
# the Python that has LibreOffice's uno module: Debian's python3 with python3-uno. They get a
# venv of their own that can see it.
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import uno" 2>/dev/null; then
  if ! .venv-uno/bin/python -c "import unoserver.converter" 2>/dev/null; then
    /usr/bin/python3 -m venv --system-site-packages .venv-uno
    .venv-uno/bin/python -m pip install -q 'unoserver>=3,<4'
  fi
else
  echo "setup: LibreOffice's python3-uno is missing: PDF conversion will not be available" >&2
fi
echo "setup: ready (.venv/bin/vanthu)"
