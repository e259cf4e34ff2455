-- When the customer's reminder email was queued (NULL: not yet; a reschedule clears it).
ALTER TABLE bookings ADD COLUMN reminded_at BIGINT;
CREATE INDEX bookings_reminders ON bookings (status, reminded_at, starts_at);
