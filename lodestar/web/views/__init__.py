"""The pages, one module per area; each view is a thin function over services and selectors."""
