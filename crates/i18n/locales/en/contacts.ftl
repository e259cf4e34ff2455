# Contacts: the list, a contact's page, the import.

# The list.
contacts-find = Find contacts
contacts-search-label = Search
contacts-channel = Channel
contacts-any-label = Any label
contacts-consent = Consent
contacts-any-consent = Any consent
contacts-reachable = May be answered
contacts-opted-out = Opted out
contacts-last-contacted = Last contacted
contacts-any-time = Any time
contacts-within-days = In the last { $days } days
contacts-quiet-days = Not for { $days } days
contacts-sort = Sort
contacts-sort-last = Recently in touch
contacts-sort-newest = Newest
contacts-show = Show
contacts-empty = No contacts here.
contacts-empty-hint = Customers who write on a channel appear here by themselves.
contacts-empty-hint-import = Customers who write on a channel appear here by themselves; you can also { $link }.
contacts-empty-import-link = import your customer list
contacts-select = Select
contacts-select-one = Select { $name }
contacts-name = Name
contacts-phone = Phone
contacts-email = Email
contacts-labels = Labels
contacts-blocked = blocked
contacts-bulk-label = Add a label to the selected contacts
contacts-add-label = Add label
contacts-pages = Pages
contacts-previous = ← Previous
contacts-next = Next →
contacts-page-of = Page { $page } of { $pages }

# A contact.
contacts-back = ← All contacts
contacts-your-team = Your team
contacts-about = About
contacts-labels-comma = Labels (comma separated)
contacts-blocked-check = Blocked: the business sends this contact nothing
contacts-save = Save contact
contacts-added = Added { $time }
contacts-language = language { $language }
contacts-no-channels = Not known on any channel yet (added by hand or imported).
contacts-identity-kind = { $kind ->
    [phone] phone
    [user] user
    [visitor] visitor
   *[other] { $kind }
}
contacts-removed-channel = removed channel
contacts-state-opted-out = opted out
contacts-state-reachable = may be answered
contacts-history = History ({ $count })
contacts-consent-change = { $change ->
    [opt_out] opt out
    [opt_in] opt in
   *[other] { $change }
}
contacts-consent-source = { $source ->
    [keyword] keyword
    [provider] provider
    [merge] merge
   *[other] { $source }
}
contacts-conversations = Conversations
contacts-no-conversations = No conversations yet.
contacts-thread-status = { $status ->
    [open] open
    [pending] pending
    [snoozed] snoozed
    [resolved] resolved
   *[other] { $status }
}
contacts-notes = Notes
contacts-note = Note (only your team sees it)
contacts-add-note = Add note
contacts-possible-hint = Same phone or email. Merging moves their conversations, channels, consent history, labels and notes here; an opt-out on either stays.
contacts-merge-confirm = Merge { $other } into { $name }? This cannot be undone.
contacts-merge-ok = Merge

# The import.
contacts-import-title = Import contacts
contacts-import-columns = A CSV file with a first line naming its columns: { $name }, { $phone }, { $email }, { $labels } (separated by ;) and { $notes }.
contacts-import-phones = Phones without a country code take your business's country.
contacts-import-limits = Up to 1 MB here (5 MB and { $rows } rows through the API).
contacts-import-consent = Imported contacts get no consent: a customer list is not permission to write to them, and Frontdesk only ever answers people who wrote first.
contacts-import-file = Choose a file
contacts-import-paste = …or paste the rows
contacts-import-go = { $count ->
    [one] Import 1 contact
   *[other] Import { $count } contacts
}
contacts-import-preview = Preview
contacts-import-summary = { $new } new · { $duplicates } already there (skipped) · { $errors } with errors
contacts-import-fix = Correct the rows with errors: nothing is imported while any row has one.
contacts-import-line = Line
contacts-import-outcome = Outcome
contacts-import-duplicate = already there: { $name }
contacts-import-new = new
contacts-imported = { $count ->
    [one] 1 contact imported
   *[other] { $count } contacts imported
}, { $duplicates } already there.
