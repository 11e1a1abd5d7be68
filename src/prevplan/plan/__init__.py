"""Programme plans and NGO inventories, and the coverage analytics on them."""
