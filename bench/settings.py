"""Production settings plus one bare view (the floor), for `make bench` only."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# TEMP until #9 lands (viewflow assets break the manifest)
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}  # noqa
