# privacy
## Data-subject requests: the public page, the requester's page, the owners' page, mails.
privacy-nav = Privacy
privacy-kind = { $kind ->
    [access] See my data
    [export] A copy of my data
    [rectify] Correct my data
    [erase] Erase my data
    [restrict] Restrict the use of my data
    [object] Object to the use of my data
    [withdraw_consent] Withdraw my consent
   *[other] { $kind }
}
privacy-status = { $status ->
    [received] Received
    [verified] Verified
    [in_progress] In progress
    [done] Done
    [refused] Refused
    [expired] Expired
   *[other] { $status }
}
privacy-page-title = Your personal data
privacy-page-intro = Ask { $business } for a copy of the data it holds about you, to correct or erase it, to restrict or object to its use, or to withdraw your consent. It answers within 30 days.
privacy-page-intro-any = Ask this business for a copy of the data it holds about you, to correct or erase it, to restrict or object to its use, or to withdraw your consent. It answers within 30 days.
privacy-kind-label = What do you ask?
privacy-email-label = Your email address
privacy-email-hint = If the business has this address on file we send a code to it; otherwise the business checks who you are another way.
privacy-details-label = Details (optional)
privacy-send = Send the request
privacy-sent = Thank you, your request was sent. If this address is on file, a code and a link to your request are on their way to it. The business answers within 30 days.
privacy-request-title = Your privacy request
privacy-kind-label-short = Request
privacy-status-label = State
privacy-due = Answer due by
privacy-code-label = The 6-digit code from the email
privacy-verify = Confirm
privacy-new-code = Send a new code
privacy-verified-note = Thank you: we know it is you. The business answers by the date above.
privacy-manual-note = The business will check who you are and answer by the date above.
privacy-download = Download your data (ZIP)
privacy-reason = Reason
privacy-erased-note = Your data has been erased.
privacy-restricted-banner = This customer asked to restrict the use of their data: no AI drafts and no automatic replies.
privacy-erased-banner = This contact's personal data was erased on their request.
privacy-title = Privacy requests
privacy-none = No requests yet.
privacy-public-link = Your customers make requests at { $link }
privacy-role-label = Who decides about your customers' data
privacy-role = { $role ->
    [controller] The operator of this server
   *[processor] This business (Frontdesk processes the data for it)
}
privacy-contact-unnamed = (no name)
privacy-role-save = Save
privacy-col-received = Received
privacy-col-kind = Request
privacy-col-status = State
privacy-col-due = Due
privacy-col-contact = Contact
privacy-overdue = overdue
privacy-verify-how = How you checked who they are
privacy-verify-button = Mark as verified
privacy-contact-id = Contact id
privacy-fulfil = Fulfil
privacy-refuse = Refuse
privacy-note = Note or reason
privacy-lift = Lift the restriction
privacy-export-link = Download the export
privacy-admin-title = Overdue privacy requests
privacy-admin-none = No request is overdue.
privacy-from = { $business } via Frontdesk
privacy-code-subject = { $business }: your code is { $code }
privacy-code-body = Hello,

    We received your request to { $business } ({ $kind }). To confirm it is you, type this code on your request's page within { $minutes } minutes:

    { $code }

    Your request: { $link }

    If you did not ask, ignore this email.
privacy-chat-code = About your privacy request to { $business }: to confirm it is you, open { $link } and type the code { $code } within { $minutes } minutes.
privacy-received-subject = { $business }: your privacy request was received
privacy-received-body = Hello,

    We received your request to { $business } ({ $kind }). The business will check who you are and answer within 30 days.

    Your request: { $link }
privacy-done-subject = { $business }: your privacy request is answered
privacy-done-body = Hello,

    { $business } has answered your request ({ $kind }).

    See it here: { $link }
privacy-owner-subject = { $what ->
    [verified] { $business }: a privacy request was verified ({ $kind })
    [due_7] { $business }: a privacy request is due in 7 days ({ $kind })
    [due_2] { $business }: a privacy request is due in 2 days ({ $kind })
   *[other] { $business }: a new privacy request ({ $kind })
}
privacy-owner-body = Hello,

    { $what ->
        [verified] The person behind a privacy request to { $business } proved who they are
        [due_7] A privacy request to { $business } is due in 7 days
        [due_2] A privacy request to { $business } is due in 2 days
       *[other] Someone made a privacy request to { $business }
    } ({ $kind }). It must be answered by { $due }; the platform never answers it for you.

    Your privacy requests: { $link }
privacy-account-link = Your account's data: a copy, a correction, an erasure
privacy-account-title = Your account's data
privacy-account-intro = Ask Frontdesk's operator, who is responsible for your account's data, for a copy of it, to correct or erase it, to restrict or object to its use, or to withdraw your consent. Erasing it ends your account: you are signed out everywhere and can no longer sign in. You are signed in, so we know it is you; the answer comes within 30 days.
privacy-account-request = An account holder
privacy-admin-accounts = Account holders' requests
privacy-admin-overdue = Overdue requests
privacy-account-subject = A privacy request about an account ({ $kind })
privacy-account-body = Hello,

    An account holder made a privacy request ({ $kind }). You are responsible for account data: answer it by { $due }.

    Requests: { $link }
privacy-account-done-subject = Your privacy request is answered
privacy-account-done-body = Hello,

    Your request about your account's data ({ $kind }) is answered.

    See it here: { $link }
