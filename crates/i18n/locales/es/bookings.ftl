# Bookings: the staff's pages (calendar, catalog settings).
