# Bookings: the staff's pages (calendar, catalog settings).

# The sidebar.
bookings-nav = Bookings
bookings-nav-services = Services
bookings-nav-resources = Resources
bookings-nav-coupons = Coupons

# Words shared by the pages.
bookings-status = { $status ->
    [hold] Held
    [pending] Waiting for confirmation
    [confirmed] Confirmed
    [completed] Completed
    [cancelled] Cancelled
    [no_show] No-show
    [declined] Declined
    [expired] Expired
   *[other] { $status }
}
bookings-date = { $weekday }, { $day } { $month } { $year }
bookings-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
bookings-no-customer = No customer named
bookings-service = Service
bookings-resource = Resource
bookings-with = With
bookings-customer = Customer
bookings-date-label = Date
bookings-notes = Notes
bookings-price = Price
bookings-about = Details
bookings-actions = Actions
bookings-remove = Remove
bookings-required = required
bookings-sensitive = Sensitive
bookings-yes = Yes
bookings-arrived = Arrived
bookings-back = ← Calendar
bookings-show-times = Show free times
bookings-inactive = not bookable
bookings-hidden = not on the public page
bookings-all-resources = All resources
bookings-all-services = All services
bookings-no-resources = No resources yet: add the staff, rooms or equipment that services need.
bookings-no-services = No services yet.
bookings-add-resources = Add resources
bookings-add-services = Add services
bookings-extras = Extras
bookings-questions = Questions

# The calendar.
bookings-title = Bookings
bookings-new = New booking
bookings-dates = Dates
bookings-previous-day = Previous day
bookings-next-day = Next day
bookings-previous-week = Previous week
bookings-next-week = Next week
bookings-today = Today
bookings-view = View
bookings-day = Day
bookings-week = Week
bookings-filters = Calendar filters
bookings-show = Show
bookings-week-of = { $first } – { $last } { $year }
bookings-count = { $count ->
    [0] No bookings
    [one] 1 booking
   *[other] { $count } bookings
}
bookings-gone = { $count ->
    [one] 1 cancelled, declined or expired booking
   *[other] { $count } cancelled, declined or expired bookings
}
bookings-none-this-day = No bookings on this day.
bookings-no-resources-hint = An owner or admin adds them under Resources.
bookings-nothing-matches = Nothing matches these filters.

# Home.
bookings-home-title = Today's bookings
bookings-home-calendar = Calendar
bookings-home-count = { $count ->
    [0] No bookings today.
    [one] 1 booking today.
   *[other] { $count } bookings today.
}

# The inbox's contact pane.
bookings-book-contact = Book

# A new booking.
bookings-new-title = New booking
bookings-pick = Service and date
bookings-choose-service = Choose a service
bookings-anyone = Anyone free
bookings-free-times = Free times
bookings-no-free-times = No free times on this day. Try another date.
bookings-find-customer = Find a customer
bookings-find-placeholder = Name, phone or email
bookings-search = Search
bookings-nobody-found = Nobody found: book for a new customer below.
bookings-new-customer = A new customer
bookings-customer-name = Customer's name
bookings-customer-phone = Customer's phone
bookings-customer-email = Customer's email
bookings-someone-else = Book for someone else
bookings-book = Book

# A booking.
bookings-booking-title = { $service } for { $customer }
bookings-status-label = Status
bookings-when = When
bookings-seats = Seats
bookings-quantity = Length
bookings-units = { $unit ->
    [night] { $count ->
        [one] 1 night
       *[other] { $count } nights
    }
   *[other] { $count ->
        [one] 1 day
       *[other] { $count } days
    }
}
bookings-discount = { $price } less { $discount }
bookings-reason = Reason (optional)
bookings-held-until = Held until
bookings-created = Booked
bookings-answers = Answers
bookings-no-answers = The service asks no questions, or none were answered.
bookings-sensitive-hint = Sensitive answers stay here: they are never sent to an AI provider, a calendar, a feed or a webhook.
bookings-do-confirm = Confirm
bookings-do-decline = Decline
bookings-do-cancel = Cancel booking
bookings-do-arrived = Mark arrived
bookings-do-complete = Mark completed
bookings-do-no-show = Mark no-show
bookings-decline-confirm = Decline the booking of { $customer }? The time becomes free again.
bookings-cancel-confirm = Cancel the booking of { $customer }? The time becomes free again.
bookings-no-show-confirm = Mark { $customer } as a no-show?
bookings-not-started-hint = Arrival, completion and no-show can be marked once the booking has started.
bookings-move = Move to another time
bookings-move-date = New date
bookings-do-move = Move booking
bookings-move-confirm = Move the booking of { $customer } to the time chosen?
bookings-history = History
bookings-change = { $change ->
    [hold] held
    [pending] requested
    [confirmed] booked
    [confirm] confirmed
    [decline] declined
    [declined] declined
    [cancel] cancelled
    [complete] completed
    [no_show] marked no-show
    [arrived] marked arrived
    [rescheduled] moved
    [expired] expired
    [reminded] reminded by email
   *[other] { $change }
}
bookings-detail-timeout = not answered in time
bookings-actor-former = A former member
bookings-actor-token = API token
bookings-actor-system = Frontdesk
bookings-actor-customer = The customer

# Resources.
bookings-resources-title = Resources
bookings-resources-intro = The staff, rooms, equipment and rentable units that services need, each with its weekly hours in its own time zone.
bookings-resources-list = Your resources
bookings-add-resource = Add resource
bookings-save-resource = Save resource
bookings-all-resources-link = ← All resources
bookings-kind-label = Kind
bookings-kind = { $kind ->
    [staff] Staff
    [room] Room
    [equipment] Equipment
    [unit] Rentable unit
   *[other] { $kind }
}
bookings-resource-name = Name
bookings-resource-member = Member of the team
bookings-resource-no-member = Not a member
bookings-resource-zone = Time zone
bookings-resource-active = Bookable
bookings-weekly-hours = Weekly hours
bookings-weekly-hours-hint = Leave a day empty when the resource is off that day.
bookings-no-hours = No hours yet
bookings-opens = Opens
bookings-closes = Closes
bookings-opens-again = Opens again
bookings-day-opens = { $day }: opens
bookings-day-closes = { $day }: closes
bookings-day-opens-again = { $day }: opens again
bookings-day-closes-again = { $day }: closes again
bookings-days-off = Days off
bookings-days-off-hint = One date per line, as YYYY-MM-DD.
bookings-exceptions = A date's own hours
bookings-exceptions-hint = Other hours on one date (a late opening, a short day), or the whole day off.
bookings-exception-off-hint = Leave the times empty for the day off.
bookings-set-exception = Save this date
bookings-day-off = day off
bookings-exception-remove-confirm = Back to the weekly hours on this date?
bookings-blocks = Blocked times
bookings-blocks-hint = Holidays, maintenance, a meeting: nobody can book the resource then. Times in { $zone }.
bookings-block-from = From
bookings-block-until = Until
bookings-block-reason = Reason (optional)
bookings-add-block = Block this time
bookings-block-remove-confirm = Remove this blocked time?

# Services.
bookings-services-title = Services
bookings-services-intro = What customers book: how long, what it costs, who or what it needs.
bookings-services-list = Your services
bookings-services-need-resources = Services need resources first.
bookings-add-service = Add service
bookings-save-service = Save service
bookings-all-services-link = ← All services
bookings-service-name = Name
bookings-service-description = Description
bookings-service-time = Time
bookings-unit-label = Booked by
bookings-unit = { $unit ->
    [slot] appointment
    [night] night
    [day] day
   *[other] { $unit }
}
bookings-duration = Length in minutes
bookings-duration-hint = For appointments; nights and days use check-in and check-out.
bookings-interval = Minutes between possible starts
bookings-interval-hint = 0: as long as the service.
bookings-buffer-before = Minutes kept free before
bookings-buffer-after = Minutes kept free after
bookings-check-in = Check-in
bookings-check-out = Check-out
bookings-check-hint = For nights and days.
bookings-capacity = Places
bookings-capacity-hint = 1 for an appointment; more for a class.
bookings-service-rules = Rules
bookings-min-notice = Minutes of notice needed
bookings-window = Days ahead customers may book
bookings-window-hint = 60 when left empty.
bookings-cancel-notice = Customers may cancel until so many minutes before
bookings-requires-confirmation = Requests wait for the business's confirmation
bookings-service-active = Bookable
bookings-service-hidden = Not listed on the public booking page
bookings-service-price = Price and payment
bookings-price-hint = An amount such as 25 or 25.50; per night or day for stays.
bookings-currency = Currency
bookings-business-currency = The business's currency
bookings-payment-label = Payment when booking
bookings-payment = { $payment ->
    [none] nothing
    [deposit] a deposit
    [full] the full price
   *[other] { $payment }
}
bookings-deposit = Deposit as an amount
bookings-deposit-hint = Or as a percent below: one of the two.
bookings-deposit-percent = Deposit as a percent of the price
bookings-service-resources = Who or what it needs
bookings-groups-hint = One resource of each group is taken: for example your stylists in one group and your chairs in another.
bookings-group = Group { $number }
bookings-extras-hint = Options a customer may add, with more time or a price.
bookings-extra-name = Name
bookings-extra-minutes = Minutes it adds
bookings-extra-price = Price it adds
bookings-add-extra = Add extra
bookings-extra-remove-confirm = Stop offering { $name }?
bookings-questions-hint = Asked when booking. Sensitive answers (health, for example) are kept from AI providers, calendars, feeds and webhooks.
bookings-question-label = Question
bookings-question-kind-label = Answer
bookings-question-kind = { $kind ->
    [text] text
    [choice] one of some choices
    [checkbox] a tick box
   *[other] { $kind }
}
bookings-question-choices = Choices
bookings-question-choices-hint = For a choice question: one per line.
bookings-question-required = An answer is needed
bookings-question-sensitive = Sensitive
bookings-add-question = Add question
bookings-question-remove-confirm = Remove this question?

# Coupons.
bookings-coupons-title = Coupons
bookings-coupons-intro = Codes customers type in when booking for a discount.
bookings-coupons-list = Your coupons
bookings-no-coupons = No coupons yet.
bookings-add-coupon = Add coupon
bookings-coupon-code = Code
bookings-coupon-code-hint = 3 to 32 letters, digits or dashes.
bookings-coupon-discount = Discount
bookings-coupon-valid = Valid
bookings-coupon-uses = Used
bookings-coupon-kind = Discount as
bookings-coupon-percent = a percent
bookings-coupon-amount = an amount
bookings-coupon-value = Discount
bookings-coupon-value-hint = A percent (10) or an amount (5.00).
bookings-coupon-valid-from = Valid from
bookings-coupon-valid-to = Valid until
bookings-coupon-max-uses = Uses at most
bookings-coupon-once-check = Once per customer
bookings-coupon-service = Only for
bookings-coupon-always = always
bookings-coupon-from = from { $date }
bookings-coupon-until = until { $date }
bookings-coupon-once = once per customer
bookings-coupon-off = off
bookings-coupon-turn-off = Turn off
bookings-coupon-turn-on = Turn on
bookings-coupon-off-confirm = Turn { $code } off? Customers can no longer use it.
bookings-percent = { $value } %

## The booking page's settings: its link, the embed, the sites that may embed it.
bookings-nav-page = Booking page
bookings-page-title = Booking page
bookings-page-intro = Customers book here without an account. Share the link, or show the page on your own website.
bookings-page-link = Your booking page
bookings-page-no-slug = Give your business a web address first, in the
bookings-page-embed = Show it on your website
bookings-page-embed-hint = Paste this code into a page of your site, then list the site below: browsers show the booking page only on the sites you list.
bookings-page-frame-title = Book with { $business }
bookings-page-sites = Sites that may show it
bookings-page-origins = Your websites
bookings-page-origins-hint = One per line, like https://salon.example (no path). Leave empty if you only share the link.
bookings-save = Save

# Calendar feeds.
feeds-nav = Calendar feeds
feeds-title = Calendar feeds
feeds-intro = Subscribe to the bookings in Google Calendar, Apple Calendar or Outlook ("add a calendar from a URL"). Each link is secret: anyone who has it sees the times, the services and the customers' first names.
feeds-calendar = Calendar
feeds-url = Subscription link
feeds-url-of = Subscription link of { $name }
feeds-all = Every booking
feeds-off = Off
feeds-on = Turn on
feeds-renew = New link
feeds-turn-off = Turn off
feeds-off-confirm = Turn this feed off? Calendars subscribed to it stop updating.
feeds-privacy = A new link stops the old one at once. Feeds show the last 30 days and the next year; calendar apps look again about every hour.

# Google Calendar, per resource.
gcal-title = Google Calendar
gcal-intro = Connect this resource's own Google calendar: its bookings appear there, and its private appointments there block its free slots here (only their times are kept).
gcal-connect = Connect Google Calendar
gcal-reconnect = Connect again
gcal-connected = Connected: bookings go to Google Calendar and its busy times block slots here.
gcal-error = The last sync failed; it is tried again every 5 minutes.
gcal-revoked = Google no longer accepts this connection (it was revoked or expired). Connect again to resume.
gcal-last-sync = Last synced { $when }
gcal-not-synced = Not synced yet
gcal-disconnect = Disconnect
gcal-disconnect-confirm = Disconnect this calendar? Its busy times stop blocking slots; events already in Google stay there.
gcal-revoked-subject = Google Calendar disconnected for { $resource }
gcal-revoked-body = Google no longer accepts the calendar connection of { $resource }: its bookings are no longer sent to Google Calendar and its private appointments no longer block slots. Connect it again here:

    { $link }
