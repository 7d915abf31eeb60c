"""scanner.tag"""
