"""Demo flowcharts and posts for the demo powers (filled in by the flowchart work)."""


def seed(ctx):
    return ctx
