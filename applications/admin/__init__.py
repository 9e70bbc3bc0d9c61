"""The admin site over stored applications: read-only copies of CAMS data, searchable at scale.

- ``applications``: the ViberApplication admin (search, filters, inlines, actions).
- ``history``: snapshots and the read-only building blocks shared with it.
- ``search``, ``filters``, ``pagination``, ``changelist``, ``actions``: the pieces that keep a
  changelist of a million rows fast (index-friendly lookups, no DISTINCT scans, no full COUNT(*),
  rows written once per column plan).
"""

from . import applications, history, notifications  # noqa: F401  (registers the model admins)
