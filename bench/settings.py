"""Production settings plus one bare view (the floor), for `make bench` only."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
