"""Small fake servers of remote APIs, listening on 127.0.0.1 only."""
