"""Programmes: people, named owners, memberships and permissions, lifecycle and the audit trail."""
