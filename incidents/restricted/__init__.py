"""Restricted incidents: the named colleagues who may see one, beyond its lead DSL and
the headteacher."""
