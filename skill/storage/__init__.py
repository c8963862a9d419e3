"""Storage helpers for the domain stores: SQLite connections, DynamoDB clients, user state."""
