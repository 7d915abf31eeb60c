"""scanner.review"""
