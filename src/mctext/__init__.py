"""mctext: evidence about micro-credentials from policy documents."""
__version__ = "0.1.0"
