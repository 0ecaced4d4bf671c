"""Qt models over snapshots of the store, loaded off the Qt thread."""
