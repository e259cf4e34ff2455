# Billing: payments, refunds, the payment account, the customer's pay pages and mails.

## What a payment is for
pay-kind-deposit = deposit
pay-kind-full = payment
pay-kind-request = payment
pay-kind = { $kind ->
    [deposit] Deposit
    [full] Payment
    [request] Payment asked
    [manual] At the desk
    [invoice] Invoice
   *[other] { $kind }
}
pay-method-name = { $method ->
    [card] Card
    [cash] Cash
    [card_terminal] Card terminal
    [bizum] Bizum
    [transfer] Bank transfer
   *[other] Other
}
pay-status = { $status ->
    [open] Waiting for payment
    [paid] Paid
    [expired] Not paid (expired)
    [failed] Failed
    [refunded] Refunded
   *[other] { $status }
}
pay-refund-status = { $status ->
    [pending] Being refunded
    [succeeded] Refunded
    [failed] Failed
   *[other] { $status }
}
pay-dispute = { $status ->
    [won] Dispute won
    [lost] Dispute lost
   *[other] Disputed ({ $status })
}
pay-flag = { $flag ->
    [duplicate] Paid twice: refunded
    [late] Paid after the slot was gone: refunded
    [ended] Paid after the booking ended: refunded
   *[other] { $flag }
}

## The customer's pay pages
pay-title = Pay to book
pay-held-until = We hold this time for you until { $until }.
pay-button = Pay { $amount } by card
pay-provider-note = You pay on Stripe's secure page; your card details never reach us.
pay-closed = This payment is no longer open, and the time is no longer held for you.
pay-book-again = Book again
pay-pending = We are confirming your payment with the bank. This page updates itself.
pay-check-again = Check again
pay-receipt-title = Receipt
pay-receipt-paid = Thank you: your payment has been received.
pay-paid-at = Paid on
pay-method = Method
pay-reference = Reference
pay-refund = Refunded
pay-flag-note = This payment is being refunded in full.

## Mails
pay-account-mail-subject = { $workspace }: the { $provider } account was changed
pay-account-mail-body = Hello,

    The { $provider } account that takes { $workspace }'s payments was { $what ->
        [connected] connected
        [disconnected] disconnected
       *[other] changed (a new secret key)
    } by { $who }.

    If this was not you or someone you trust, sign in now and check it:
    { $link }
pay-late-mail-subject = { $business }: your payment is being refunded
pay-late-mail-body = Hello,

    Your payment of { $amount } for { $service } on { $when } reached us after the time we were holding for you had passed, and that time has been booked by someone else meanwhile.

    We are refunding { $amount } in full to your card; it usually shows within 5 to 10 days. We are sorry. You can pick another time here:
    { $link }

    { $business }

## The staff's pages
pay-nav = Payments
pay-settings-nav = Payment account
pay-not-connected = No payment account is connected: services asking for a deposit are booked without one.
pay-connect-link = Connect Stripe
pay-filter = Show
pay-all = All
pay-none = No payments yet.
pay-when = Date
pay-amount = Amount
pay-status-label = Status
pay-kind-label = Type
pay-refunded-amount = { $amount } refunded
pay-booking = Booking
pay-open-booking = Open the booking
pay-manual-title = Record a payment
pay-manual-intro = Money taken at the desk: cash, a card terminal, Bizum or a transfer.
pay-note = Note
pay-manual-record = Record the payment
pay-one-title = Payment of { $amount }
pay-card = Card
pay-dispute-label = Dispute
pay-flag-label = Attention
pay-provider-ref = Provider reference
pay-link = Pay link
pay-refunds = Refunds
pay-reason = Reason
pay-refund-title = Refund
pay-refund-ask = Refund this amount to the customer?
pay-refund-button = Refund
pay-events = Provider events
pay-no-events = No events from the provider yet.
pay-event = Event
pay-outcome = Outcome
pay-settings-title = Payment account
pay-settings-intro = Customers pay deposits and bookings through your own Stripe account. Frontdesk creates the webhook endpoint in your Stripe account itself; card details never reach Frontdesk.
pay-settings-key = Secret key
pay-live = live
pay-test = test mode
pay-settings-webhook = Webhook endpoint
pay-settings-since = Connected
pay-settings-none = No Stripe account is connected.
pay-settings-secret = Stripe secret key
pay-settings-secret-hint = From Stripe's dashboard: Developers → API keys. A restricted key needs Checkout Sessions, Refunds and Webhook Endpoints.
pay-settings-connect = Connect Stripe
pay-settings-replace = Replace the key
pay-settings-disconnect = Disconnect
pay-settings-disconnect-ask = Disconnect Stripe? Services asking for a deposit will be booked without one.
book-pay-deposit = A deposit of { $amount } is paid by card to book.
book-pay-full = The full price, { $amount }, is paid by card to book.

## The workspace's plan and wallet (platform billing)
plan-title = Plan and credit
plan-off = Plans and prepaid credit are not used on this server.
plan-restricted = This workspace is restricted until its plan is paid: replies, new bookings and paid AI are stopped; incoming messages still arrive and nothing is deleted.
plan-plan = Plan
plan-none = No plan
plan-status = State
plan-state = { $status ->
    [none] No subscription
    [trialing] Trial
    [active] Active
    [past_due] Payment due
    [restricted] Restricted
    [canceled] Cancelled
   *[other] { $status }
}
plan-balance = Balance
plan-usage = Usage this period
plan-meter = What
plan-used = Used
plan-included = Included
plan-paid = Paid from credit
plan-meter-name = { $meter ->
    [message] Messages
    [ai_call] AI calls
    [device_minute] Device minutes
   *[other] { $meter }
}
plan-topup = Top up
plan-topup-button = Top up by card
plan-topup-ready = Your top-up is ready to pay on Stripe's secure page.
plan-topup-continue = Continue to payment
plan-keep-card = Keep this card for automatic top-ups
plan-auto = Automatic top-ups
plan-auto-card = The card kept: { $card }.
plan-auto-no-card = Top up once by card and tick "Keep this card" to top up automatically.
plan-auto-on = Top up automatically
plan-auto-below = When the balance falls below
plan-auto-amount = Top up by
plan-auto-save = Save
plan-auto-failed = The last automatic top-up failed ({ $reason }); automatic top-ups are off until you turn them on again.
plan-auto-failed-subject = { $workspace }: an automatic top-up failed
plan-auto-failed-body = Hello,

    We could not charge { $amount } to the card kept for { $workspace }'s automatic top-ups ({ $reason }). Automatic top-ups are now off; nothing else has changed.

    Top up by hand or keep another card here: { $link }
plan-wallet = Credit history
plan-no-entries = Nothing yet.
plan-entry = Entry
plan-entry-kind = { $kind ->
    [topup] Top-up
    [debit] Usage
    [reserve] Reserved
    [settle] Settled
    [release] Released
    [refund] Refund
    [adjust] Adjustment
   *[other] { $kind }
}
plan-receipt-subject = { $workspace }: your top-up receipt
plan-receipt-body = Hello,

    We received { $amount } for { $workspace }'s credit. The balance is now { $balance }.

    Reference: { $reference }
    Credit history: { $link }
plan-low-subject = { $workspace }: your credit is running low
plan-low-body = Hello,

    { $workspace }'s credit is down to { $balance }. When it runs out, messages beyond your plan's quota stop going out.

    Top up here: { $link }
plan-admin-title = Plans and credit
plan-admin-plans = Plans
plan-admin-no-plans = No plans yet.
plan-admin-price = Monthly price
plan-admin-limits = Limits
plan-admin-seats = Seats
plan-admin-channels = Channels
plan-admin-stripe-price = Stripe price id (monthly)
plan-admin-messages = Messages included a month
plan-admin-message-price = Price of each message beyond them
plan-admin-ai-calls = AI calls included a month
plan-admin-ai-call-price = Price of each AI call beyond them
plan-admin-ai-input-price = Beyond them, price of a million input tokens
plan-admin-ai-output-price = Beyond them, price of a million output tokens
plan-admin-per-million = per million tokens (in/out)
plan-admin-device-minutes = Device minutes included a month
plan-admin-device-minute-price = Price of each device minute beyond them
plan-admin-add = Add the plan
plan-admin-workspaces = Workspaces
plan-admin-credit = Credit

## Passes and memberships (the customer's page)
member-title = Your pass or membership
member-kind = { $kind ->
    [pass] Pass
   *[other] Membership
}
member-status = { $status ->
    [active] Active
    [used_up] Used up
    [lapsed] Expired
    [cancelled] Cancelled
   *[other] { $status }
}
member-sessions = Sessions left
member-until = Valid until
member-renews = Renews on
member-cancel = Stop renewing
member-shop-monthly = renews monthly
member-subscribe-ready = Your membership is ready to pay on Stripe's secure page; it renews every month until you stop it.
member-book = Book a visit
plan-chart-label = { $count ->
    [one] 1 message in the last 30 days
   *[other] { $count } messages in the last 30 days
}
member-shop-title = Passes and memberships
member-shop-none = Nothing to buy online at the moment.
member-shop-sessions = { $count ->
    [one] 1 session
   *[other] { $count } sessions
}
member-shop-discount = { $percent } % off
member-shop-days = valid { $days } days
member-shop-buy = Buy and pay by card
member-mail-subject = { $business }: your { $plan }
member-mail-body = Hello,

    Thank you: your { $plan } at { $business } is ready. See what is left of it, and until when, here:
    { $link }

    { $business }
pay-request-subject = { $business }: a payment for your booking
pay-request-body = Hello,

    { $business } asks you to pay { $amount } for { $service }. You pay on Stripe's secure page:
    { $link }

    { $business }
