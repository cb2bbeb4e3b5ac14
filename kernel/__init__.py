"""The ground floor every component stands on: the caller, the forwarded identity, the org tree, the database and
its migrations, the base error tree, settings and secrets. It imports none of the components."""
