"""The pages' forms, one module per area. They check shape; the services check the rules."""
