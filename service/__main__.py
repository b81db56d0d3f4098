"""``python -m service``: the civicweave command line."""

from service.cli import main

main()
