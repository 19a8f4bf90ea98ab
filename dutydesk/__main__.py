from dutydesk.cli import main

main()
