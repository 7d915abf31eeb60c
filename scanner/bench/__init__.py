"""scanner.bench"""
