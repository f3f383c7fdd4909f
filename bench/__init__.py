"""`make bench`: query counts and loopback throughput of the portal under production settings."""
