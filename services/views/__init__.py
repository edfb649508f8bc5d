"""The services pages of a network: /networks/<ODS code>/services/…"""
