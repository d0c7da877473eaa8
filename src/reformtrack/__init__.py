"""reformtrack: governance of state-owned-enterprise reform."""
