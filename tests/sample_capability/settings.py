"""Keel's settings with the sample capability installed, as a new app's would be."""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.sample_capability"]
ROOT_URLCONF = "tests.sample_capability.urls"
