"""Pages for analysts: the query page at ``/`` (``query``) and the browse lists (``browse``)."""
