"""``python -m utils.standins [--force]``: build the offline stand-ins now (``make standins``)."""

import sys

from utils.standins import hub

hub.activate()
built = hub.build(force="--force" in sys.argv)
print("Stand-in hub " + ("built." if built else "already up to date."))
