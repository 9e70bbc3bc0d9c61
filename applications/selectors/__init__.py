"""Reads, one module per page or topic: applications, queue, health, review, bulk. No writes, no network."""
