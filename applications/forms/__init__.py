"""Forms by page: lookup, review queue filters, review actions and bulk lookup."""
