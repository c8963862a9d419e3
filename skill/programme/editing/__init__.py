"""Editing the programme: drafts, validation, version differences, and publishing."""
