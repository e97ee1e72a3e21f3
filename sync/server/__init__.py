"""The reference county hub: receives cases (files by tus, cases by idempotent batches) and feeds changes back."""
