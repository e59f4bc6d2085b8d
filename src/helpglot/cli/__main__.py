"""``python -m helpglot.cli``: the command line git runs as the merge driver
(``helpglot git-setup`` wrote ``python -m helpglot.cli merge-driver ...`` into git configs)."""

from helpglot.cli import main

main()
