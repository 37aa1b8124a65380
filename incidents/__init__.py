"""Incidents: incidents, their timeline, postmortems and actions, runbooks, the Alertmanager
webhook and serious-incident reporting clocks."""
