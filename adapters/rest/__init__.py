"""The legacy permit system's REST/JSON endpoint: pages of permits after a cursor, called politely (a rate limit
per endpoint, retries with backoff and jitter on transient errors) and not at all while its circuit is open."""
