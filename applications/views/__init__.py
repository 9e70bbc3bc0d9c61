"""Views, one module per page or topic (urls.py names each view by its module).

- ``home``: the lookup form; ``pages``: one application's page, lookup and refreshes;
- ``api``: the application as JSON; ``health``: the background refresh's health page and JSON;
- ``queue``, ``review``, ``bulk``: the review queue, the review actions, bulk lookups;
- ``errors``: an invalid request number and CAMS failures as the same HTTP answers everywhere;
- ``presenters``, ``review_presenters``: what a stored application looks like on its page.

Each view validates its input, calls services (writes) or selectors (reads) and renders.
"""
