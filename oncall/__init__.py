"""On-call: rotations, overrides, schedule maths, handoffs, incidents, runbooks and alert intake."""
