"""User and role administration pages (docs/administration.md): thin views over
powerlist.org.services, selectors and permissions."""
