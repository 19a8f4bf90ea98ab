"""One screen per job at the desk."""
