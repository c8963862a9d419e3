"""Intent areas: each module maps what was asked to a reply (see `base`)."""
