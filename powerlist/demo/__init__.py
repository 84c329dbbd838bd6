"""Demo data and the synthetic province.

Each app may have a `demo` module with `seed(ctx)`; the seed_demo command calls them in
INSTALLED_APPS order, passing a dict `ctx` the earlier seeds filled in. Every seed is
idempotent. powerlist's seeds the organisation, then the catalogue, then the
flowcharts and posts. generate.py builds the synthetic province for benchmarks.
"""

from powerlist.demo import catalogue, flowcharts, organisation


def seed(ctx):
    organisation.seed(ctx)
    catalogue.seed(ctx)
    flowcharts.seed(ctx)
    return ctx
