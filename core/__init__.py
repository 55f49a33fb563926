"""The foundation: records, errors, settings and the topic file. Imports nothing else of the project."""
