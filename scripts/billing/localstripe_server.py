"""Runs localstripe, the Stripe-compatible test server, keeping its state in memory only.

localstripe writes its whole store to /tmp/localstripe.pickle after every write, so each
request costs more than the one before (linking the small demo: 6 records/s, against
108 without it; docs/benchmarks.md, "The billing provider"). Every caller here starts
it from scratch, so nothing reads that file: writing it is turned off. Arguments are
localstripe's own (`--port N --from-scratch`).
"""
import localstripe.resources
from localstripe.server import start

localstripe.resources.Store.dump_to_disk = lambda self: None

if __name__ == "__main__":
    start()
