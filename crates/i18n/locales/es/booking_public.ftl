# Bookings: the public booking page, the manage link and the customer's emails.
