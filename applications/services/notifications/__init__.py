"""Notification writes, by topic:

- ``fanout``: inbox and outbox rows for an event, in the event's own transaction;
- ``delivery``: claim, send, record an attempt; retries, disabling failing channels, the sweeper;
- ``transports``: turn one outbox row into an e-mail or an HTTP request (network, no DB writes);
- ``manage``: channels, rules, watches, preferences, the inbox, "Send test" and "Redeliver";
- ``digest``: the SLA digest to rule channels.
"""
