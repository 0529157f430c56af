from napaudit.cli import main

main()
