"""File drops: legacy permit ledgers as CSV (UTF-8, GBK or GB18030, detected and reported) or .xlsx, read as a
stream; good rows applied, bad rows quarantined per field, a rejection report written back in the sender's
encoding; a file dropped again changes nothing."""
