"""`simulacra evaluate`: the paper's controlled interview evaluation (see README.md)."""
