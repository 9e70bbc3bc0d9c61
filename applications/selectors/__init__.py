"""Reads, one module per page or topic: applications, queue, health. No writes, no network."""
