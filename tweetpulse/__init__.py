"""tweetpulse: command-line entry points and local service management."""
