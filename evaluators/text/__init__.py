"""Text building blocks shared by protocols: normalisers, tokenisers and output clean-up."""
