"""E-mail notifications: an outbox written with each action, sent by the worker."""
