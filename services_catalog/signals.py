"""What the catalogue room announces. `demo_loaded` is sent at the end of `demo_load`,
inside its transaction, with kwarg `today`: higher rooms (skp) add their demo data."""

from django.dispatch import Signal

demo_loaded = Signal()
