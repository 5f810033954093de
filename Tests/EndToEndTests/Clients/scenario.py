"""What the client scripts share: a check that stops on the first failure, and running one
named scenario (a function of the calling script) from the command line."""
import sys


def check(condition, what, got):
    if not condition:
        sys.exit("FAILED: %s; got %r" % (what, got))
    print("ok: " + what)


def run(scenarios):
    """Runs scenarios[argv[2]]; argv[1] is the server URL the script read already."""
    name = sys.argv[2] if len(sys.argv) > 2 else ""
    if name not in scenarios:
        sys.exit("unknown scenario %r; known: %s" % (name, ", ".join(sorted(scenarios))))
    scenarios[name]()
