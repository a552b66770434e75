"""What the review prints and writes: the text a reviewer reads, its tables, and the dependency picture."""
