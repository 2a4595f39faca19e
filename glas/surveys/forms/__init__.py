"""Survey forms, one module per audience (design, respond, entry, fieldwork, results)."""
