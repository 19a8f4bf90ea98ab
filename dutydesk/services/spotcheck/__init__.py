"""spotcheck."""
