"""scanner.train"""
