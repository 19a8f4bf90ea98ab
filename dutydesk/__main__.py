from dutydesk.launch import main

main()
