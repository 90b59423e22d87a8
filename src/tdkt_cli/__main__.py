from tdkt_cli.cli import main

main()
