"""The only package that sees Peewee."""
