from tdkt_cli.entry import main

main()
