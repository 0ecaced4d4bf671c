"""Demo mode: a realistic fortnight, a local Radicale to serve it, and the session that ties them to a throwaway profile."""
