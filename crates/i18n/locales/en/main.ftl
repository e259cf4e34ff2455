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
