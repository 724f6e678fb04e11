"""Exports for the finance directorate (DSAF): Excel and CSV files."""
