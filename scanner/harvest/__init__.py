"""scanner.harvest"""
