# The app shell.
nav-home = Home
nav-inbox = Inbox
nav-contacts = Contacts
nav-settings = Settings
nav-profile = Business profile
nav-channels = Channels
nav-hours = Hours
nav-assistant = Assistant
nav-saved-replies = Saved replies
nav-webhooks = Webhooks
nav-members = Members
nav-audit = Audit log
nav-account = Account
nav-sign-out = Sign out
nav-help = Help
nav-operator = Operator
nav-menu = Menu
nav-workspaces = Workspaces
nav-all-workspaces = All workspaces…
nav-switch = switch workspace
skip-to-content = Skip to content
toast-saved = Saved.
confirm-cancel = Cancel
confirm-ok = Confirm

# Home.
home-hello = Hello { $name }. Here is your day at { $workspace }.
home-open = { $count ->
    [one] open conversation
   *[other] open conversations
}
home-unassigned = not assigned to anyone
home-mine = assigned to you
home-waiting = Waiting longest
home-nobody-waiting = Nobody is waiting.
home-setup-done = { $done } of { $total } done

# Counts.
contacts-count = { $count ->
    [0] No contacts
    [one] 1 contact
   *[other] { $count } contacts
}

# Inbox.
inbox-title = Inbox
inbox-unread = { $count ->
    [0] Nothing unread
   *[other] { $count } unread
}
inbox-status-open = Open
inbox-status-pending = Pending
inbox-status-snoozed = Snoozed
inbox-status-resolved = Resolved
inbox-status-all = All
inbox-anyone = Anyone
inbox-mine = Mine
inbox-unassigned = Unassigned
inbox-all-channels = All channels
inbox-label = Label
inbox-search = Search (/)
inbox-filter = Filter
inbox-empty = No conversations here.
inbox-empty-hint = When a customer writes, the conversation shows up here at once.
inbox-pick = Pick a conversation
inbox-pick-hint = Use j and k to move through the list, r to reply.
inbox-back = Back
inbox-send = Send
inbox-attach = Attach a file
inbox-reply-to = Reply to { $name } (Ctrl+Enter sends, / inserts a saved reply)
inbox-sender-assistant = Assistant
inbox-sender-away = Away reply
inbox-sender-api = Sent through the API

# Contacts.
contacts-search = Name, phone, email or username
contacts-export = Export CSV
contacts-import = Import CSV
contacts-merge = Merge into this contact
contacts-possible = Possibly the same person
contacts-never = never

# Business profile.
profile-title = Business profile
profile-name = Business name
profile-slug = Short name in links
profile-time-zone = Time zone
profile-country = Country
profile-currency = Currency
profile-address = Address
profile-phone = Phone
profile-email = Email
profile-website = Website
profile-languages = Languages you answer in
profile-brand = Brand colour
profile-save = Save profile

# The app shell (more).
nav-main = Main
shell-web-chat = Web chat
shell-upload-too-large = The file is too large.
shell-upload-unusable = That file could not be used: choose a PNG, JPEG or WebP image.

# Home (more).
home-setup-skipped = Setup: { $done } of { $total } done.
home-setup-resume = Resume the checklist
home-get-started = Get started
home-setup-skip = Skip for now
home-setup-progress = Setup progress
home-step-done = (done)
home-step-profile = Set up your business profile and opening hours
home-step-profile-hint = Your address, phone, time zone and when you are open: the assistant answers from them.
home-step-channel = Connect your first channel
home-step-channel-hint = A web chat for your site takes a minute; WhatsApp, Instagram and Telegram too.
home-step-invite = Invite a colleague
home-step-invite-hint = Answer together: assign conversations and leave private notes.
home-step-saved = Save a reply you often write
home-step-saved-hint = Type / in a reply to insert it.
home-nobody-waiting-hint = New messages from customers show up here and in the inbox.
home-wrote-just-now = wrote just now
home-waiting-for = waiting { $time }

# Help.
help-intro = Write to us here: the conversation stays open while you use Frontdesk, and we answer in this window.
help-signed-in = Signed in as { $name } ({ $email }).
help-none = No help desk is set up on this server.
help-none-hint = Ask the person who runs this Frontdesk.
