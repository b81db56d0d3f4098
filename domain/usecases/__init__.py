"""The use cases of the Application, one module per part of the record."""
