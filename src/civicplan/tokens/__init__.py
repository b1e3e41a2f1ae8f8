"""Personal API tokens: a user's key to the REST API (civicplan.api), carrying exactly that user's permissions."""
