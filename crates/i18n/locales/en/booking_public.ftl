# Bookings: the public booking page, the manage link and the customer's emails.

## The booking page
book-skip = Skip to the booking
book-steps = Booking steps
book-step-service = Service
book-step-extras = Extras
book-step-time = Time
book-step-details = Your details
book-step-confirm = Confirm
book-title = Book with { $business }
book-choose-service = Choose a service
book-no-services = There is nothing to book online at the moment.
book-minutes = { $count } min
book-extras-title = Anything extra?
book-extras-legend = Extras you can add
book-continue = Continue
book-other-service = Choose another service
book-time-title = Choose a time
book-zone = Times are shown in this time zone
book-zone-show = Show times
book-no-times = No free times this week.
book-weeks = Other weeks
book-earlier = Earlier
book-later = Later
book-optional = (optional)
book-choose = Choose…
book-details-title = Your details
book-other-time = Choose another time
book-name = Your name
book-email = Your email address
book-phone = Your phone number
book-questions = A few questions
book-coupon = Coupon code
book-hp = Leave this field empty
book-review = Review the booking
book-review-title = Check and confirm
book-when = When
book-yes = Yes
book-price = Price
book-discount = Discount
book-total = Total
book-needs-confirmation = The business confirms this booking itself; you will get an email when it does.
book-confirm = Confirm the booking
book-edit = Change the details
book-booked-title = Thank you
book-booked-received = Your booking request has been received.

## The manage page
book-manage-title = Your booking
book-booked = Your booking is confirmed.
book-booked-pending = Your booking request is in: the business will confirm it soon.
book-booked-mailed = We have sent the details to { $email }.
book-keep-link = Keep this link to see, move or cancel your booking:
book-moved = Your booking has moved to the new time.
book-status = Status
book-status-confirmed = Confirmed
book-status-pending = Waiting for the business to confirm
book-status-hold = Held for you
book-status-cancelled = Cancelled
book-status-declined = Not accepted
book-status-completed = Done
book-status-no-show = Missed
book-status-expired = Expired
book-add-calendar = Add to my calendar (.ics)
book-move-title = Move to another time
book-move-hint = Times in { $zone }.
book-cancel-title = Cancel the booking
book-cancel-until = You can cancel online until { $time }.
book-cancel-ask = Cancel this booking? The time is given to someone else.
book-cancel = Cancel the booking
book-again = Make another booking
book-cancelled-title = Booking cancelled
book-cancelled = Your booking is cancelled. We have sent you an email about it.

## The customer's emails
book-mail-from = { $business } via { $product }
book-mail-hello = Hello,
book-mail-hello-name = Hello { $name },
book-mail-total = Total: { $total }
book-mail-manage = See, move or cancel your booking: { $link }
book-mail-questions = Questions? Call { $business } on { $phone }, or answer this email.
book-mail-confirmed-subject = Booking confirmed: { $service } at { $business }
book-mail-confirmed-intro = Your booking at { $business } is confirmed.
book-mail-requested-subject = Booking request: { $service } at { $business }
book-mail-requested-intro = { $business } has your booking request and will confirm it soon.
book-mail-rescheduled-subject = Booking moved: { $service } at { $business }
book-mail-rescheduled-intro = Your booking at { $business } has moved to a new time.
book-mail-cancelled-subject = Booking cancelled: { $service } at { $business }
book-mail-cancelled-intro = Your booking at { $business } is cancelled.
book-mail-declined-subject = Booking not accepted: { $service } at { $business }
book-mail-declined-intro = { $business } could not accept your booking request.
book-ics-description = Booked with { $business }.
book-ics-description-for = { $name }, booked with { $business }.

# The reminder the day before (email only).
book-mail-reminder-subject = Reminder: { $service } at { $business }
book-mail-reminder-intro = A reminder of your booking at { $business }:
# The confirmation sent in the conversation a booking was made from.
book-notice-confirmed = Booked at { $business }: { $service }, { $when }. See, move or cancel it: { $link }
