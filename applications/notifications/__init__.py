"""Notification building blocks that need no database: event payloads, rule matching, Standard
Webhooks signing, chat-robot formatters and signatures, the SSRF guard and the HTTP sender.

The services (``services/notifications``) decide who hears what and record deliveries; these
modules only turn an event into bytes on the wire, so they are tested offline.
"""
