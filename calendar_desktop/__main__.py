import sys

from calendar_desktop.cli.main import main

sys.exit(main())
