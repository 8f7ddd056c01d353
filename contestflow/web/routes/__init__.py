"""One router per resource: intake (departments), coordinator; results is another engineer's."""
