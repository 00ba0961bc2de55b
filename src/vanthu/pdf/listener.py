"""A LibreOffice listener: soffice plus a small XML-RPC front, run by the pool.

Runs under a Python that has LibreOffice's `uno` module and unoserver's converter (the
project's .venv-uno). It is unoserver's server without its fixed start-up pauses (5 s + 2 s):
it connects as soon as LibreOffice accepts, which matters for single documents. Only the
standard library, uno and unoserver may be imported here. It runs as a script, so this folder
is the first on sys.path: no module here may be named as a standard library one (copy, io …).

    python listener.py PORT UNO_PORT PROFILE_DIR
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from xmlrpc.server import SimpleXMLRPCServer

STARTUP_SECONDS = 60


def main(port: int, uno_port: int, profile: str) -> None:
    from unoserver.converter import UnoConverter

    connection = f"socket,host=127.0.0.1,port={uno_port},tcpNoDelay=1;urp;StarOffice.ComponentContext"
    office = subprocess.Popen(["soffice", "--headless", "--invisible", "--nocrashreport", "--nodefault", "--nologo",
                               "--nofirststartwizard", "--norestore", f"-env:UserInstallation={Path(profile).as_uri()}",
                               f"--accept={connection}"])
    signal.signal(signal.SIGTERM, lambda *_: (office.kill(), os._exit(0)))
    deadline = time.monotonic() + STARTUP_SECONDS
    converter = None
    while converter is None:
        if office.poll() is not None or time.monotonic() > deadline:
            sys.exit("LibreOffice did not start")
        try:
            converter = UnoConverter(interface="127.0.0.1", port=str(uno_port))
        except Exception:  # NoConnectException until soffice accepts
            time.sleep(0.1)

    def convert(inpath: str, outpath: str, filter_options: list) -> bool:
        converter.convert(inpath=inpath, outpath=outpath, filtername="writer_pdf_Export",
                          filter_options=filter_options, update_index=False)
        return True

    def info() -> dict:
        return {"soffice": office.pid}

    with SimpleXMLRPCServer(("127.0.0.1", port), allow_none=True, logRequests=False) as server:
        server.register_function(convert)
        server.register_function(info)
        server.serve_forever()


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])
