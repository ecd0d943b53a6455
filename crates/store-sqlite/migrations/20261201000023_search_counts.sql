-- Searches are limited per user and window, so nobody lists the register by trying names.
CREATE TABLE search_counts (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    window_start_ms INTEGER NOT NULL,
    searches INTEGER NOT NULL
);
