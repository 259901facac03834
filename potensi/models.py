# Models of this section of the public site.
