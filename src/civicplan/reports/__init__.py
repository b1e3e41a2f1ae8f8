"""Reports drawn from the plan data (strategy maps); pure Python, no Django."""
