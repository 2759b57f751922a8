"""Who is involved in an incident: the reads and form fields every feature shares."""
