# Roles are Django groups (see accounts.roles); no tables of our own yet.
