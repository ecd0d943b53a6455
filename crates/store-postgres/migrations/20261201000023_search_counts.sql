-- Searches are limited per user and window, so nobody lists the register by trying names.
CREATE TABLE search_counts (
    user_id BIGINT PRIMARY KEY REFERENCES users(id),
    window_start_ms BIGINT NOT NULL,
    searches BIGINT NOT NULL
);
