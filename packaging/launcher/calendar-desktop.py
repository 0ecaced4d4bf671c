"""Entry script of the frozen app: the same ``main`` as the ``calendar-desktop`` console script.

It sits alone in this folder because PyInstaller puts the entry script's folder on the module
search path, and nothing else from ``packaging/`` belongs in the bundle.
"""

import sys

from calendar_desktop.cli.main import main

sys.exit(main())
