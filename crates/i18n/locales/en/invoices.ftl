# Invoices: the profile, the list and editor, the customer's page, the PDF and the mail.

invoice-nav = Invoices
invoice-settings-nav = Invoices
invoice-one = Invoice
invoice-credit-note = Credit note
invoice-status = { $status ->
    [draft] Draft
    [issued] Issued
   *[other] { $status }
}
invoice-status-label = Status
invoice-draft = Draft
invoice-draft-title = Draft invoice
invoice-number = Number
invoice-date = Issue date
invoice-buyer = Customer
invoice-buyer-name = Name or company
invoice-buyer-tax-id = Tax id
invoice-buyer-address = Billing address
invoice-buyer-email = Email (the invoice is sent there)
invoice-lang = Language of the invoice
invoice-lang-name = { $lang ->
    [es] Spanish
   *[other] English
}
invoice-description = Description
invoice-quantity = Quantity
invoice-unit-price = Unit price
invoice-discount = Discount %
invoice-tax-rate = Tax
invoice-amount = Amount
invoice-base-at = Taxable base at { $rate } %
invoice-tax-at = Tax at { $rate } %
invoice-total = Total
invoice-notes = Notes
invoice-corrects = Corrects
invoice-prices-include-tax = Prices include tax. Each line is rounded to the cent (halves away from zero); its base and tax are worked out from its amount.
invoice-no-profile = Set up your invoice profile (legal name, tax id, tax rates) before you write invoices.
invoice-profile-link = Set up the invoice profile
invoice-new = New invoice
invoice-none = No invoices yet.
invoice-save-draft = Save the draft
invoice-back = Back to the invoices
invoice-issue-title = Issue
invoice-issue-intro = Issuing gives the invoice its number and date. An issued invoice never changes: to correct it, make a credit note.
invoice-send-on-issue = Email it to the customer
invoice-issue-confirm = Issue this invoice? It cannot be changed afterwards.
invoice-issue = Issue the invoice
invoice-delete = Delete the draft
invoice-paid = This invoice is paid. Thank you.
invoice-paid-badge = Paid
invoice-download-pdf = Download the PDF
invoice-public-link = The customer's page
invoice-credit-notes = Credit notes
invoice-send = Email it again
invoice-credit-title = Correct with a credit note
invoice-credit-intro = A credit note in its own series cancels the whole invoice; the customer gets it by email.
invoice-credit-reason = Reason
invoice-credit = Make the credit note
invoice-pay = Pay { $amount }
invoice-export-title = For the accountant
invoice-export-intro = Every invoice and credit note issued in a period: a CSV with one row per tax rate, or a ZIP of their PDFs (built in the background; the file is kept 7 days).
invoice-from = From
invoice-to = To
invoice-export-zip = Build the ZIP of PDFs
invoice-export-csv = Download the CSV
invoice-period = Period
invoice-progress = Progress
invoice-progress-of = { $done } of { $total }
invoice-download-zip = Download the ZIP
invoice-export-status = { $status ->
    [queued] Waiting
    [running] Building
    [failed] Failed
   *[other] { $status }
}
invoice-settings-title = Invoice profile
invoice-settings-intro = Who issues your invoices. The address, the logo and the time zone of the issue date come from your
invoice-business-profile = business profile.
invoice-legal-name = Legal name
invoice-tax-id = Tax id (NIF, VAT number)
invoice-series = Invoice series
invoice-series-help = Letters before the year; empty gives numbers like 2027-0001. Numbers start again at 0001 each year.
invoice-credit-series = Credit note series
invoice-tax-rates = Tax rates (%)
invoice-tax-rates-help = Separated by commas, the usual one first (for example 21, 10, 4, 0).
invoice-auto-issue = Issue an invoice for every payment from now on, and a credit note for its refunds
invoice-footer = Footer (payment terms, a legal mention)
invoice-save-profile = Save the invoice profile

## The PDF
invoice-pdf-title = Invoice
invoice-pdf-credit-title = Credit note
invoice-pdf-draft = Draft
invoice-pdf-tax-id = Tax id: { $id }
invoice-pdf-number = Number: { $number }
invoice-pdf-date = Date: { $date }
invoice-pdf-corrects = Corrects invoice { $number }
invoice-pdf-bill-to = Bill to
invoice-pdf-description = Description
invoice-pdf-qty = Qty
invoice-pdf-price = Unit price
invoice-pdf-discount = Disc.
invoice-pdf-rate = Tax
invoice-pdf-amount = Amount
invoice-pdf-base = Base at { $rate } %
invoice-pdf-tax = Tax at { $rate } %
invoice-pdf-total = Total
invoice-pdf-page = Page { $page } of { $pages }

## Automatic invoices
invoice-auto-payment = Payment
invoice-auto-deposit = deposit
invoice-auto-refund = Refund of invoice { $number }

## The mail
invoice-mail-from = { $business } via Frontdesk
invoice-mail-subject = { $kind ->
    [credit] Credit note { $number } from { $business }
   *[other] Invoice { $number } from { $business }
}
invoice-mail-body = Hello,

    { $kind ->
        [credit] { $business } sends you credit note { $number }, for { $total }.
       *[other] { $business } sends you invoice { $number }, for { $total }.
    } The PDF is attached. You can also see it, download it and pay it here:

    { $link }
