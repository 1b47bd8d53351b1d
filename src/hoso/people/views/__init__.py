"""Web views of the people app, by topic."""
