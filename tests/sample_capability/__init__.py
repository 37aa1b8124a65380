"""A capability added the way docs/architecture.md says: a job, a notification kind and a
programme tab, registered by this app alone (only its settings list it among the apps)."""
