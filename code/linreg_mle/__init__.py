"""Maximum likelihood for Gaussian linear regression (placeholder until the package lands)."""
