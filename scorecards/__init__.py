"""Scorecards: headline and secondary metrics, measurements, progress, RAG, regression and drift."""
