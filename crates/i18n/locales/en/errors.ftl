# errors
# The sentences of AppError codes, shown on pages as `error-{code}` (`_` becomes `-`). English
# pages always show the error's own message; these English entries mirror it (a test checks the
# ones with a single fixed message) and give the general wording when a code has several.

# General.
error-internal = Something went wrong on our side; it has been logged.
error-database-unavailable = The database is not answering; try again shortly.
error-unauthenticated = Sign in to continue.
error-forbidden = You are not allowed to do this.
error-rate-limited = Too many attempts. Try again in a moment.
error-not-found = What you are looking for was not found.
error-not-found-api-token = The API token was not found.
error-not-found-channel = The channel was not found.
error-not-found-contact = The contact was not found.
error-not-found-draft = The draft was not found.
error-not-found-file = The file was not found.
error-not-found-invitation = The invitation was not found.
error-not-found-logo = The logo was not found.
error-not-found-member = The member was not found.
error-not-found-saved-reply = The saved reply was not found.
error-not-found-session = The session was not found.
error-not-found-thread = The thread was not found.
error-not-found-user = The user was not found.
error-not-found-webhook = The webhook was not found.
error-not-found-workspace = The workspace was not found.
error-required = This field is required.
error-too-long = This is too long.
error-too-many = There are too many.
error-invalid = Control characters are not allowed.
error-invalid-value = That value is not valid.
error-invalid-query = The query string is not valid.
error-invalid-cursor = The cursor is not valid.
error-invalid-time = That time is not valid.
error-invalid-date = That date is not valid; use YYYY-MM-DD.
error-out-of-range = Keep drafts 1 to 365 days.
error-url-not-allowed = This URL cannot be used.
error-insecure-url = Use https: a plain-http address is accepted only for a host inside the server's allowed internal ranges ([network] allow_private).
error-invalid-idempotency-key = Use 1 to 255 visible ASCII characters.
error-idempotency-key-reused = This Idempotency-Key was already used for another message.
error-invalid-token = The API token is missing, malformed or revoked.
error-workspace-required = Switch to a workspace first, or call with that workspace's API token.
error-user-only = Notification preferences belong to a person; sign in instead of using an API token.

# Accounts and sign-in.
error-signup-closed = Sign-up is by invitation only on this server.
error-adult-attestation-required = Confirm that you are at least 18 years old.
error-invalid-email = Enter a valid email address.
error-email-taken = An account with this email already exists.
error-email-not-verified = Confirm your email address first: follow the link we sent you, or ask for a new one.
error-invalid-credentials = The email or password is not right.
error-invalid-password = That password is not right.
error-password-too-short = That password is too short.
error-password-too-long = That password is too long.
error-password-too-weak = That password is too easy to guess; try a few unrelated words.
error-account-suspended = This account is suspended. Contact the server's operator.
error-link-invalid = This link has expired or was already used. Ask for a new one.
error-invalid-code = That code is not right.
error-2fa-already-enabled = Two-factor authentication is already on.
error-2fa-not-started = Start two-factor setup first.

# Workspaces, members and invitations.
error-workspace-suspended = This workspace is suspended by the server's operator.
error-last-owner = A workspace needs at least one owner; make someone else owner first.
error-already-member = This person is already a member.
error-invalid-role = Choose a valid role.
error-invitation-invalid = This invitation link is not valid.
error-invitation-used = This invitation was already accepted.
error-invitation-revoked = This invitation was withdrawn.
error-invitation-expired = This invitation has expired; ask for a new one.
error-invitation-email-mismatch = This invitation was sent to another email address.

# Business profile and preferences.
error-slug-taken = Another business uses that name; choose another.
error-invalid-slug = Use 3 to 40 lowercase letters, digits and dashes.
error-reserved-slug = That name is reserved; choose another.
error-unknown-time-zone = Choose a valid time zone.
error-unknown-country = Choose a country from the list.
error-unknown-currency = Choose a currency from the list.
error-unknown-language = Choose languages from the list.
error-invalid-colour = Use a colour like #1f6feb.
error-invalid-website = Use the full address, like https://example.com.
error-invalid-phone = That phone number is not valid.
error-phone-needs-country = Add the country code (+…), or set your business's country.
error-logo-too-large = The logo may be up to 512 KB.
error-unsupported-image = Use a PNG, JPEG or WebP image.
error-invalid-theme = Choose system, light or dark.
error-invalid-language = Choose English or Spanish.

# Business hours.
error-invalid-day = That day is not valid; use mon, tue, … sun.
error-invalid-range = Opening must be before closing.
error-overlapping-ranges = The ranges of a day overlap.
error-hours-required = Set business hours before turning on the away reply.

# Conversations and replies.
error-invalid-status = That status is not valid.
error-invalid-assignee = The assignee must be a member of this workspace.
error-invalid-label = That label is not valid.
error-in-the-past = Snooze until a time in the future.
error-invalid-reply-to = Quote a message of this thread.
error-reply-to-not-sent = That message has not reached the customer yet.
error-media-not-ready = This file has not been fetched from the provider yet.
error-shortcut-taken = Another saved reply has this shortcut.
error-unknown-variable = That is not a variable of saved replies.

# Sending (why a message may not be sent).
error-not-permitted = Your role cannot send messages in this workspace.
error-channel-disabled = This channel is disabled.
error-contact-blocked = This contact is blocked.
error-contact-opted-out = The customer opted out (STOP). They must opt in again before you can write.
error-reply-only-no-inbound = Frontdesk only answers customers who wrote first; this customer has not written on this channel.
error-reply-window-closed = The reply window has closed: the customer's last message is too old for this channel.

# Attachments.
error-attachment-too-large = The file is too large.
error-attachment-type-mismatch = The file's content does not match its type.
error-attachment-not-supported = Instagram only takes images from businesses.
error-caption-not-supported = Instagram does not show text with an image; send the text as its own message.
error-unsupported-media-type = Send a JPEG or PNG image, a PDF, a text file or an Office document.

# Contacts.
error-invalid-note = Write a note of up to 10,000 characters.
error-merge-with-itself = A contact cannot be merged with itself.
error-only-identity = This is the only way to reach the contact: keep a phone or an email.
error-import-too-large = The file is too large to import; split it.
error-not-utf8 = Save the file as CSV in UTF-8.
error-not-csv = This is not a valid CSV file.
error-empty-import = The file has no rows.
error-missing-columns = The first line must name the columns: name, phone, email, labels, notes.
error-import-has-errors = Some rows have errors; correct them and import again. Nothing was imported.

# Channels.
error-channel-exists = This account is already connected as a channel on this server.
error-invalid-kind = Use whatsapp, instagram, telegram or webchat.
error-invalid-id = Use the numeric id Meta shows for it.
error-invalid-bot-token = A bot token looks like 123456789:AA… (from @BotFather).
error-invalid-origin = That is not an origin like https://example.com.
error-immutable = This cannot change; connect a new channel.
error-not-applicable = This does not apply to this kind of channel.
error-unknown-channel = That channel does not exist.
error-provider-unreachable = The provider could not be reached.
error-provider-rejected = The provider refused the request.

# Assistant.
error-invalid-mode = Use off, draft or auto.
error-invalid-provider = Use local, openai, anthropic, or platform where the server offers its own model.
error-provider-incomplete = An external provider needs a base URL and a model.
error-unknown-topic = That is not one of the topics.
error-invalid-knowledge = Some of the knowledge is not valid.
error-ai-off = The assistant is off for this conversation's channel.
error-nothing-to-answer = The customer has not written anything to answer.
error-draft-decided = This draft was already discarded or sent.
error-provider-timeout = The model did not answer in time.
error-provider-rate-limited = The model's provider is rate limiting.
error-provider-auth-failed = The provider refused the API key.
error-provider-unavailable = The provider failed.
error-provider-bad-answer = The model's answer was not in the expected format.

# Webhooks.
error-unknown-event = That is not an event.
error-too-many-webhooks = This workspace already has as many webhooks as it may have.

# Web chat and incoming deliveries.
error-origin-not-allowed = This site is not allowed to use this chat.
error-invalid-visitor-token = Start a conversation first; this token is not valid.
error-invalid-contact = Write an email address or a phone number.
error-bad-signature = The delivery's signature is missing or wrong.
error-verification-failed = The verify token does not match.
error-intake-unavailable = The server is shutting down; retry.

# Bookings.
error-answer-required = Answer every required question.
error-cancellation-too-late = It is too late to cancel online; please contact the business.
error-class-full = Not enough seats are left in this class.
error-coupon-already-used = This customer has used this coupon.
error-coupon-expired = This coupon has expired.
error-coupon-not-for-service = This coupon is for another service.
error-coupon-not-yet-valid = This coupon is not valid yet.
error-coupon-unknown = There is no such coupon.
error-coupon-used-up = This coupon has been used up.
error-customer-required = Say who the booking is for: a contact or a customer.
error-idempotency-race = The same request is being handled.
error-invalid-choice = Pick one of the offered choices.
error-invalid-transition = The booking changed meanwhile; reload it.
error-not-reschedulable = This booking cannot be moved.
error-not-started = This booking has not started yet.
error-outside-booking-window = This is further ahead than bookings are open.
error-service-inactive = This service is not bookable now.
error-slot-taken = This time is no longer free. Pick another slot.
error-too-many-holds = Finish or let go of the slots you are holding first.
error-too-soon = This is too soon to book; pick a later time.
error-unknown-contact = No such contact.
error-unknown-extra = An extra is not offered with this service.
error-unknown-question = An answer is for a question this service does not ask.
error-unknown-resource = That resource does not give this service.
error-unknown-service = No such service.
error-choices-required = A choice question needs 2 to 20 choices.
error-code-taken = Another coupon has this code.
error-end-before-start = The end must come after the start.
error-invalid-amount = Use an amount such as 25 or 25.50.
error-invalid-currency = Use an ISO 4217 code such as EUR.
error-invalid-deposit = Give the deposit as an amount or as a percent, more than 0 and at most the price.
error-invalid-payment = Choose none, deposit or full.
error-invalid-percent = A percent is a whole number from 1 to 100.
error-invalid-unit = Choose slot, night or day.
error-not-a-member = Pick a member of this workspace.
error-resources-required = Choose who or what the service needs.
error-range-too-long = Ask for a shorter range of dates.
error-not-found-booking = The booking was not found.
error-not-found-blocked-time = The blocked time was not found.
error-not-found-coupon = The coupon was not found.
error-not-found-day-s-own-schedule = The day's own schedule was not found.
error-not-found-extra = The extra was not found.
error-not-found-question = The question was not found.
error-not-found-resource = The resource was not found.
error-not-found-service = The service was not found.
error-not-found-action = The action was not found.

# Bookings part 2: the public booking page and the manage link
error-not-found-booking-page = The booking page was not found.
# Bookings: the staff's pages.
error-not-a-number = Use a whole number.
error-slot-required = Pick one of the free times.
error-unknown-thread = No such conversation with this customer.
error-captcha-failed = Please confirm you are not a robot, then try again.
error-captcha-unavailable = The check that you are not a robot is not answering; try again in a minute.
error-provider-refused = The payment provider refused this.
error-payments-unavailable = The payment provider cannot be reached right now; try again in a moment.
error-invalid-secret-key = This is not a secret key of this provider (Stripe's start with sk_ or rk_).
error-unknown-payment-account = There is no such payment account.
error-invalid-signature = The signature does not match.
error-payment-not-open = This payment can no longer be made; book again.
error-no-payment-account = This business takes no online payments now.
error-amount-not-positive = The amount must be more than zero.
error-not-refundable = Only a paid payment can be refunded.
error-over-refund = This is more than is left to refund of the payment.
error-currency-mismatch = Payments are taken in the workspace's own currency.
error-unknown-booking = No such booking.
error-invalid-method = Pick cash, card terminal, Bizum, transfer or other.
error-not-an-amount = Give an amount like 12.50.
error-not-found-payment = The payment was not found.
error-not-found-payment-provider = The payment provider was not found.
error-not-found-payment-account = The payment account was not found.
error-platform-billing-off = Platform billing is not configured on this server.
error-workspace-restricted = This workspace is restricted until its plan is paid; incoming messages still arrive.
error-insufficient-credit = The workspace's credit does not cover this; top up the wallet first.
error-plan-limit-reached = The workspace's plan includes no more of this; choose a larger plan.
error-invalid-price = Give a price like 0.007 (up to six decimals).
error-invalid-adjustment = Give an amount other than zero, like 10.00.
error-reason-required = Say why, in at most 300 characters.
error-topup-out-of-range = This top-up is smaller or larger than allowed.
error-topup-limit = A new workspace tops up a few times a day at most; try again later.
error-invalid-threshold = Give the balance to top up below, like 5.00.
error-no-saved-card = Top up once by card and keep the card for automatic top-ups first.
error-not-renewing = This does not renew, so there is nothing to cancel.
error-unknown-plan = There is no such plan.
error-plan-not-sold = This plan is not sold for that interval.
error-invalid-name = Give the plan a name of at most 80 characters.
error-not-found-membership = The membership was not found.
error-invalid-plan-kind = Use pass or membership.

# Privacy requests.
error-invalid-request-kind = Choose access, export, rectify, erase, restrict, object or withdraw_consent.
error-details-too-long = Write at most 2000 characters.
error-already-verified = This request does not wait for a code.
error-no-code = No code was sent for this request; the business will check who you are.
error-too-many-tries = Too many wrong codes; ask for a new one.
error-code-expired = The code has expired; ask for a new one.
error-wrong-code = That is not the code we sent.
error-too-many-codes = Enough codes were sent for this request; the business will check who you are.
error-how-required = Say how you checked who they are, in at most 300 characters.
error-contact-required = Name the contact the request is about.
error-refusal-reason-required = Say why the request is refused.
error-sole-owner = This account is the only owner of a workspace: add another owner or delete the workspace first.
error-request-closed = This request is already answered.
error-not-verified = Only a verified request can be fulfilled.
error-not-restricted = Only a fulfilled restriction can be lifted.
error-invalid-data-role = Choose controller or processor.
error-processing-restricted = This customer asked to restrict the processing of their data: no AI drafts.
error-not-found-request = The request was not found.
error-not-found-export = The export was not found.

error-not-their-thread = That conversation is not this contact's.
error-conversation-closed = The code cannot be sent in that conversation now; verify the person another way.
error-invalid-account-request-kind = Choose access, export, rectify, erase, restrict, object or withdraw_consent.
# Cloud phones.
error-device-busy = The device is already changing state; wait for it to finish.
error-device-changed = The device changed while you asked; look again and retry.
error-device-leased = Someone else is driving this device; ask them first.
error-device-not-running = The device is not running.
error-device-not-startable = A device starts only when it is stopped or failed.
error-device-not-stopped = A device is reset only when it is stopped.
error-device-running = The device is already running.
error-device-running-stop-first = Stop the device first.
error-invalid-daily-cap = A daily cap is 1 to 1,440 minutes.
error-invalid-idle-stop = The idle stop is 1 to 1,440 minutes.
error-invalid-minutes = A lease lasts 1 to 120 minutes.
error-invalid-notes = Notes are at most 2,000 characters.
error-invalid-tags = Use at most 20 tags of up to 30 characters.
error-no-device-free = Every device of this profile is in use; ask the operator for more.
error-not-found-device = The device was not found.
error-not-supported = This provider's devices cannot be reset from here.
error-people-only = Only a person signed in can drive a device.
error-unknown-profile = Choose one of the device profiles offered.
error-not-a-pool = Only ADB hosts have a pool to sync.
error-not-found-provider = The provider was not found.
error-provider-exists = A provider has this name already.
error-unknown-action = Choose one of the buttons.
error-invalid-device-name = Give the device a name of 1 to 80 characters.
error-invalid-provider-name = Give the provider a name of 1 to 60 characters.
error-invalid-profile-name = Give the profile a name of 1 to 60 characters.
error-invalid-endpoint = Give the provider's endpoint: an http(s) URL for GeeLark, host:port for an ADB server.
error-credentials-required = GeeLark needs its app id and API key.
error-unknown-provider-kind = A provider is `geelark` or `adb`.
error-unknown-provider = Choose one of the providers.
error-invalid-android-version = Name the Android version (Android 13).

## Invoices
error-not-found-invoice = The invoice was not found.
error-not-found-invoice-profile = The invoice profile was not found.
error-legal-name-required = Write the business's legal name.
error-tax-id-required = Write the business's tax id.
error-invalid-series = A series is up to 10 letters and digits, starting with a letter.
error-same-series = Credit notes need a series of their own.
error-invalid-tax-rate = A tax rate is a percentage from 0 to 100.
error-tax-rates-required = Give one to eight tax rates, the default first.
error-lines-required = Give one to 200 lines.
error-line-description-required = Every line needs a description.
error-invalid-quantity = A quantity is a number with up to 3 decimals.
error-negative-quantity = An invoice's quantities are positive; a correction is a credit note.
error-invalid-unit-price = A unit price is an amount like 25.00.
error-invalid-discount = A discount is a percentage from 0 to 100.
error-unknown-tax-rate = Use one of the tax rates of the invoice profile.
error-no-invoice-profile = Set up the invoice profile first (legal name, tax id, tax rates).
error-invoice-issued = An issued invoice cannot change; correct it with a credit note.
error-issue-date-in-future = An invoice cannot be dated in the future.
error-date-before-last = This series' last invoice has a later date; an invoice cannot be dated before it.
error-invoice-not-issued = Issue the invoice before sending it.
error-no-buyer-email = This invoice has no email address to send it to.
error-credit-exceeds-invoice = A credit note cannot credit more than is left on its invoice.
error-not-creditable = Only an issued invoice can be corrected by a credit note.
error-partly-credited = This invoice is partly credited already; say which lines to credit.
error-invoice-not-payable = This invoice has nothing left to pay.
error-nothing-to-export = No invoice was issued in that period.
error-invalid-period = The period ends before it starts.
error-export-not-ready = The export is still being built.
error-email-unchanged = That is already your address.
error-google-not-configured = Sign-in with Google is not set up on this server.
error-google-unavailable = Google is not answering; try again in a minute.
error-google-linked-elsewhere = This Google account already signs in to another account.
error-oidc-state-invalid = This sign-in has expired or was already used; start again.
error-oidc-denied = Google did not sign you in.
error-oidc-email-unverified = This Google account's email address is not verified; verify it with Google, or sign in another way.
error-oidc-bad-discovery = The identity provider's discovery document is invalid.
error-oidc-bad-jwks = The identity provider's signing keys are invalid.
error-oidc-token-refused = The identity provider refused the login.
error-oidc-malformed = The identity provider's response is malformed.
error-oidc-unsupported-alg = The ID token uses an unsupported signature algorithm.
error-oidc-unknown-key = The ID token is signed with an unknown key.
error-oidc-bad-signature = The ID token's signature is invalid.
error-oidc-wrong-issuer = The ID token comes from an unexpected issuer.
error-oidc-wrong-audience = The ID token was issued for a different application.
error-oidc-expired = The ID token has expired.
error-oidc-not-yet-valid = The ID token is not valid yet.
error-oidc-wrong-nonce = The ID token does not belong to this login attempt.
error-oidc-no-email = The identity provider did not share an e-mail address.
error-not-found-calendar-feed = The calendar feed was not found.
error-google-no-refresh-token = Google gave no lasting access; remove Frontdesk from your Google account's connections and connect again.
error-not-found-calendar-connection = The calendar connection was not found.
