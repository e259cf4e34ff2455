-- The customer's manage link is signed over the booking's manage_version: bumping it (after a
-- cancellation) makes every link sent before stop working. lang is the language of the page the
-- customer booked on, for their emails.
ALTER TABLE bookings ADD COLUMN manage_version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE bookings ADD COLUMN lang TEXT;
