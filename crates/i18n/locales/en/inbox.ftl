# inbox
# The inbox's own words; its title, status tabs, filters and composer are in main.ftl.

## The conversation list.
inbox-notify-enable = Turn on notifications
inbox-filter-conversations = Filter conversations
inbox-status = Status
inbox-assigned-to = Assigned to
inbox-channel = Channel
inbox-search-label = Search
inbox-no-channel = No channel yet.
inbox-no-channel-hint = Connect a web chat, WhatsApp, Instagram or Telegram and conversations arrive here.
inbox-connect-channel = Connect a channel
inbox-conversations = Conversations
inbox-older = Older conversations

## A conversation's state (the status tabs are inbox-status-… in main.ftl).
inbox-state-open = open
inbox-state-pending = pending
inbox-state-snoozed = snoozed
inbox-state-resolved = resolved

## Customers the channel knows nothing about.
inbox-unnamed-whatsapp = WhatsApp customer
inbox-unnamed-instagram = Instagram customer
inbox-unnamed-telegram = Telegram customer
inbox-unnamed-webchat = Web chat visitor

## A conversation.
inbox-back-to-list = Back to the conversations
inbox-wrote = wrote { $ago }
inbox-messages = Messages
inbox-file = file
inbox-edited = edited
inbox-reply = Reply
inbox-window-closes = Reply window closes in { $time }.
inbox-no-window = This channel has no reply window.
inbox-message-to = Message to { $name }
inbox-remaining-days = { $days } days
inbox-remaining-hours = { $hours } h { $minutes } min
inbox-remaining-minutes = { $minutes } min
inbox-removed-channel = removed channel
inbox-sender-former = A former member
inbox-sender-auto = Sent automatically
inbox-sender-team = Your team

## An outbound message's delivery.
inbox-delivery-received = received
inbox-delivery-queued = queued
inbox-delivery-sent = sent
inbox-delivery-delivered = delivered
inbox-delivery-read = read
inbox-delivery-failed = failed
inbox-failure-unknown-outcome = The server stopped while sending; check with the customer before sending again.
inbox-failure-provider-unavailable = The provider could not be reached after several attempts.
inbox-failure-other = Not delivered ({ $code }).

## What a message without text is.
inbox-content-text = text
inbox-content-image = image
inbox-content-audio = audio
inbox-content-video = video
inbox-content-document = document
inbox-content-sticker = sticker
inbox-content-location = location
inbox-content-contacts = contacts
inbox-content-interactive = interactive
inbox-content-reaction = reaction
inbox-content-unsupported = unsupported

## A file of a message that is not stored yet.
inbox-media-pending = pending
inbox-media-stored = stored
inbox-media-failed = failed

## About the conversation: the contact, consent, other conversations.
inbox-about = About this conversation
inbox-contact = Contact
inbox-phone = Phone
inbox-email = Email
inbox-blocked = Blocked
inbox-identity-phone = phone
inbox-identity-user = user
inbox-identity-visitor = visitor
inbox-identity-bsuid = bsuid
inbox-identity-igsid = igsid
inbox-consent = Consent
inbox-opted-out = opted out
inbox-may-answer = may be answered
inbox-consent-history = History ({ $count })
inbox-consent-opt-out = opt out
inbox-consent-opt-in = opt in
inbox-consent-source-keyword = keyword
inbox-consent-source-user-preferences = user_preferences
inbox-consent-source-telegram-blocked = telegram_blocked
inbox-consent-source-telegram-unblocked = telegram_unblocked
inbox-consent-source-provider = provider
inbox-consent-source-merge = merge
inbox-other-conversations = Other conversations

## Status and assignee, private notes.
inbox-triage = Status and assignee
inbox-snooze-for = Snooze for (when snoozed)
inbox-snooze-hours = { $count ->
    [one] { $count } hour
   *[other] { $count } hours
}
inbox-snooze-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
inbox-snooze-weeks = { $count ->
    [one] { $count } week
   *[other] { $count } weeks
}
inbox-snoozed-until = Snoozed until { $time }.
inbox-assignee = Assignee
inbox-nobody = Nobody
inbox-labels = Labels (comma separated)
inbox-save = Save
inbox-notes = Private notes
inbox-note-label = Note (only your team sees it)
inbox-add-note = Add note

## Desktop notifications of new customer messages.
inbox-notice-new-message = New message
inbox-notice-attachment = Sent an attachment

## The email when a conversation is assigned to an agent who is not online.
inbox-mail-a-customer = A customer
inbox-mail-assigned-subject = { $workspace }: { $contact } was assigned to you
inbox-mail-assigned-text =
    A conversation in { $workspace } was assigned to you: { $contact } on { $channel }.
    {""}
    Open it: { $link }
    {""}
    You get this email because you were not online. Change it under Account, Notifications.

## Channels.
inbox-channels-empty-hint = Start with the web chat below (a minute), or connect WhatsApp, Instagram or Telegram.
inbox-refused = { $name } refused { $count ->
    [one] { $count } site
   *[other] { $count } sites
} in the last 7 days:
inbox-refused-times = { $count ->
    [one] { $count } time
   *[other] { $count } times
} (last { $ago })
inbox-refused-hint = If a site is yours, add its address to the channel's allowed sites.
inbox-name = Name
inbox-kind = Kind
inbox-account = Account
inbox-webhook-or-embed = Webhook or embed
inbox-channel-state = State
inbox-channel-kind-whatsapp = whatsapp
inbox-channel-kind-instagram = instagram
inbox-channel-kind-telegram = telegram
inbox-channel-kind-webchat = webchat
inbox-channel-disabled = disabled
inbox-channel-active = active
inbox-enable = Enable
inbox-disable = Disable
inbox-disable-confirm = Disable { $name }? Customers' messages on it stop arriving until you enable it again.
inbox-connect-whatsapp-title = Connect a WhatsApp number
inbox-phone-number-id = Phone number ID
inbox-waba-id = WhatsApp Business Account ID
inbox-meta-app-id = Meta app ID
inbox-access-token = Access token
inbox-app-secret = App secret
inbox-verify-token-hint = Verify token (you choose it; paste it in Meta's dashboard too)
inbox-connect-whatsapp = Connect WhatsApp
inbox-connect-instagram-title = Connect an Instagram account
inbox-instagram-account-id = Instagram professional account ID
inbox-verify-token = Verify token
inbox-connect-instagram = Connect Instagram
inbox-connect-telegram-title = Connect a Telegram bot
inbox-bot-token-hint = Bot token (from @BotFather)
inbox-connect-telegram = Connect Telegram
inbox-add-webchat-title = Add a web chat to your site
inbox-origins = Your site's address (origin), e.g. https://example.com
inbox-create-webchat = Create web chat
inbox-deliveries-waiting = Deliveries waiting to be processed on this server: { $count } · checked { $time }
# A refused channel form: the field, then why.
inbox-field-error = { $field }: { $message }
inbox-field-kind = kind
inbox-field-name = name
inbox-field-allowed-origins = allowed_origins
inbox-field-phone-number-id = phone_number_id
inbox-field-waba-id = waba_id
inbox-field-instagram-account-id = instagram_account_id
inbox-field-app-id = app_id
inbox-field-access-token = access_token
inbox-field-app-secret = app_secret
inbox-field-verify-token = verify_token
inbox-field-bot-token = bot_token

## Saved replies.
inbox-saved-hint = In a conversation, type / and the shortcut to insert one. Variables: { $variables }.
inbox-saved-var-first-name = the contact's first name
inbox-saved-var-name = the contact's full name
inbox-saved-var-business = the workspace's name
inbox-saved-empty = No saved replies yet.
inbox-saved-empty-hint = Write the answers you give every day once, then insert them with / in any conversation.
inbox-saved-delete-confirm = Delete the saved reply /{ $shortcut }?
inbox-delete = Delete
inbox-saved-add-title = Add a saved reply
inbox-saved-shortcut = Shortcut
inbox-saved-shortcut-example = hours
inbox-saved-body-example = Hi {"{{"}first_name{"}}"}, we are open Tuesday to Saturday, 9 to 18.
inbox-saved-add = Add saved reply

## Outgoing webhooks.
inbox-webhooks-hint = Your endpoints receive { $created }, { $status } and { $updated } as JSON with ids (fetch details with the API). Each request is signed: { $signature }. Check it, and that t is recent, before trusting the body. Failed deliveries are retried for about three hours.
inbox-webhooks-signature = Frontdesk-Signature: t=<unix time>,v1=<HMAC-SHA256 of "t.body" with the secret, hex>
inbox-webhooks-empty = No webhooks yet.
inbox-webhooks-empty-hint = Add an endpoint below to have your own systems told about new messages.
inbox-webhook-events = Events: { $events }
inbox-webhook-secret = Signing secret
inbox-webhook-deliveries = Recent deliveries
inbox-webhook-none = None yet.
inbox-webhook-when = When
inbox-webhook-event = Event
inbox-webhook-attempts = Attempts
inbox-webhook-last-answer = Last answer
inbox-hook-pending = pending
inbox-hook-delivered = delivered
inbox-hook-failed = failed
inbox-webhook-delete-confirm = Delete the webhook to { $url }? Deliveries stop at once.
inbox-webhook-delete = Delete webhook
inbox-webhook-add-title = Add a webhook
inbox-webhook-url = Endpoint URL
inbox-webhook-add = Add webhook

## Business hours and the away reply.
inbox-hours-title = Business hours
inbox-hours-open-until = Open now, until { $time }.
inbox-hours-open = Open now.
inbox-hours-closed-opens = Closed now; opens { $day } { $time }.
inbox-hours-closed = Closed now.
inbox-hours-closed-always = Closed (no opening hours).
inbox-hours-none = No business hours set: the away reply is off.
inbox-hours-tz-hint = Your business's time zone (the same as in the { $profile }).
inbox-hours-profile-link = business profile
inbox-hours-hint = Leave a day's times empty when you are closed. The second range is for a break (for example 16:00–20:00).
inbox-hours-day = Day
inbox-hours-opens = Opens
inbox-hours-closes = Closes
inbox-hours-opens-again = Opens again
inbox-hours-closes-again = Closes again
inbox-hours-day-opens = { $day } opens
inbox-hours-day-closes = { $day } closes
inbox-hours-day-opens-again = { $day } opens again
inbox-hours-day-closes-again = { $day } closes again
inbox-hours-closed-dates = Closed dates (one per line, YYYY-MM-DD)
inbox-hours-away-enabled = Answer customers who write while you are closed (once per thread until you open again)
inbox-hours-away-hint = You may use {"{{"}first_name{"}}"}, {"{{"}name{"}}"} and {"{{"}business{"}}"}. It is sent like any reply: never after an opt-out, only inside the channel's reply window.
inbox-hours-save = Save hours
inbox-hours-remove-confirm = Remove your business hours? The away reply turns off and the assistant no longer knows when you are open.
inbox-hours-remove-label = Remove hours
inbox-hours-remove = Remove business hours
