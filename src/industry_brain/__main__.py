from industry_brain.cli import main

main()
