"""`make bench`: Alur measured over HTTP as deployed (see bench/__main__.py)."""
