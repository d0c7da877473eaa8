"""Organisation tree, designations and roles granted on subtrees."""
