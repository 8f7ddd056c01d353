"""The bundled demo: sample Russian materials for a Culture 21 bid and an earlier year's memory."""
