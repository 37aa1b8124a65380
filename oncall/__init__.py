"""On-call: rotations, overrides, cover, time off, schedule maths, handoffs and calendar feeds."""
