"""scanner.digest"""
