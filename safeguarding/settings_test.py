"""Settings for the test suite: production settings with the switches tests need.

Tests talk plain HTTP to the test client and to a live server, so secure cookies and
the HTTPS redirect are relaxed; everything else is what production runs.
"""

import os

os.environ["DJANGO_TESTING"] = "true"

from safeguarding.settings import *  # noqa: F403
