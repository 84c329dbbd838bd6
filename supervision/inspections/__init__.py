"""Inspections (监督检查), rectification (整改) and accountability (责任追究): docs/inspections.md."""
