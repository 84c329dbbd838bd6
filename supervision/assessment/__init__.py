"""Performance assessment of how the powers run (绩效考核): docs/assessment.md."""
