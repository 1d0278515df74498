"""The validation audience: ``POST /validate`` and its form (``routes``)."""
