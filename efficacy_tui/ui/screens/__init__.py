"""One screen per activity."""
