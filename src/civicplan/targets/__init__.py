"""Target and actual values (pure Python, no Django): parse_value / format_value (values.py), achievement
rates, lights and raise candidates (achievement.py), direction suggestions (direction.py). docs/targets.md."""
