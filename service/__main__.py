"""``python -m service``: the civicweave command line."""

from service.console import main

main()
